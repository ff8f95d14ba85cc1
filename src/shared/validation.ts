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
  const { instance, errors } = classValidation(cls, plain);
  if (errors.length > 0) throw AppError.validation(flattenValidationErrors(errors, prefix));
  return instance;
}

/** class-validator's own verdict on a plain object: the instance, and every error (none: valid). */
export function classValidation<T extends object>(
  cls: ClassConstructor<T>,
  plain: object,
): { instance: T; errors: ValidationError[] } {
  const instance = plainToInstance(cls, plain, {
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
