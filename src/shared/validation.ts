import type { PipeTransform } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppError, type FieldError } from './errors';
import { fastCheckOf } from './fast-validation';

/** Flattens class-validator's tree into one `{ path, message }` per bad field (its messages joined). */
export function flattenValidationErrors(errors: ValidationError[], prefix: string): FieldError[] {
  const byPath = new Map<string, string[]>();
  const walk = (list: ValidationError[], base: string): void => {
    for (const e of list) {
      const path = base ? `${base}.${e.property}` : e.property;
      const messages = Object.values(e.constraints ?? {});
      if (messages.length > 0) byPath.set(path, [...(byPath.get(path) ?? []), ...messages]);
      if (e.children?.length) walk(e.children, path);
    }
  };
  walk(errors, prefix);
  return [...byPath].map(([path, messages]) => ({ path, message: messages.join('; ') }));
}

/**
 * Turns a plain object into a validated DTO instance, or throws a 400 naming every bad field.
 * Unknown fields are rejected (forbidNonWhitelisted), so typos never pass silently. A body the
 * fast check accepts is returned as given: the same fields an instance would have.
 */
export function validateInto<T extends object>(cls: ClassConstructor<T>, plain: unknown, prefix = ''): T {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw AppError.validation([{ path: prefix || '(body)', message: 'must be a JSON object' }]);
  }
  // Most bodies are valid: a compiled check of the same rules accepts them without building an instance.
  if (fastCheckOf(cls)?.(plain)) return plain as T;
  const reserved = reservedKeyPaths(plain, prefix).map((path) => ({
    path,
    message: `property ${path.slice(path.lastIndexOf('.') + 1)} should not exist`,
  }));
  const { instance, errors } = classValidation(cls, plain);
  if (errors.length > 0 || reserved.length > 0)
    throw AppError.validation([...flattenValidationErrors(errors, prefix), ...reserved]);
  return instance;
}

/**
 * Keys plainToInstance never copies, and of which it takes "constructor", when an object has its
 * own, for the object's class: `{"constructor": " "}` anywhere in a body made it throw a TypeError
 * (a 500), and either key would otherwise vanish unreported.
 */
const RESERVED_KEYS = new Set(['constructor', '__proto__']);

/** Dotted paths of every own reserved key in a parsed JSON value (bodies are at most 32 deep). */
function reservedKeyPaths(value: unknown, path: string, out: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return out;
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    if (RESERVED_KEYS.has(key)) out.push(at);
    else reservedKeyPaths((value as Record<string, unknown>)[key], at, out);
  }
  return out;
}

/** A copy without reserved keys (see RESERVED_KEYS); the value itself when it has none. */
function withoutReservedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutReservedKeys);
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    if (!RESERVED_KEYS.has(key)) copy[key] = withoutReservedKeys(v);
  return copy;
}

/** class-validator's own verdict on a plain object: the instance, and every error (none: valid). */
export function classValidation<T extends object>(
  cls: ClassConstructor<T>,
  plain: object,
): { instance: T; errors: ValidationError[] } {
  const safe = reservedKeyPaths(plain, '').length > 0 ? (withoutReservedKeys(plain) as object) : plain;
  const instance = plainToInstance(cls, safe, {
    enableImplicitConversion: false,
    exposeDefaultValues: false,
  });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return { instance, errors };
}

/** Removes undefined members so stored JSON is canonical and small. */
export function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A pipe that validates a query or body into a DTO (400 naming every bad field); missing counts as {}. */
export class Valid<T extends object> implements PipeTransform<unknown, T> {
  constructor(private readonly cls: ClassConstructor<T>) {}
  transform(value: unknown): T {
    return validateInto(this.cls, value ?? {});
  }
}
