import { TransformationType, type ClassConstructor } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';

/**
 * A compiled acceptance check for a DTO class, built once from class-validator's own metadata and
 * running class-validator's own constraint functions, without what makes validateSync costly per
 * call (metadata lookups and grouping, error objects, class-transformer's instance).
 *
 * It answers only "certainly valid": true means validateSync on plainToInstance would report no
 * error; false means "not sure", and the caller runs class-validator, which decides and words the
 * errors. So the accepted set and every message are class-validator's. A class is compiled only
 * when every rule on it is one this understands (no groups, no conditions but IsOptional, no async
 * or promise rules, no class-transformer transforms); otherwise it has no fast check.
 */
export type FastCheck = (plain: unknown) => boolean;

type ValueCheck = (value: unknown, object: Record<string, unknown>) => boolean;

interface Meta {
  type: string;
  propertyName: string;
  constraints: unknown[];
  constraintCls: unknown;
  each: boolean;
  always?: boolean;
  groups?: string[];
  validateIf?: unknown;
}

interface ConstraintMeta {
  async: boolean;
  instance: { validate(value: unknown, args: ValidationArguments): unknown };
}

interface Storage {
  getTargetValidationMetadatas(
    target: unknown,
    schema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): Meta[];
  getTargetValidatorConstraints(cls: unknown): ConstraintMeta[];
}

const compiled = new Map<ClassConstructor<object>, FastCheck | null>();
/** A JSON object: its prototype is an Object.prototype (of any realm: a test runner's too). */
const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  return proto !== null && Object.getPrototypeOf(proto) === null && proto.constructor?.name === 'Object';
};

/** The fast check of a class, or null when the class has a rule this cannot run exactly. */
export function fastCheckOf(cls: ClassConstructor<object>): FastCheck | null {
  if (!compiled.has(cls)) {
    compiled.set(cls, null); // a class nested in itself has no fast check
    compiled.set(cls, compile(cls));
  }
  return compiled.get(cls)!;
}

function compile(cls: ClassConstructor<object>): FastCheck | null {
  const storage = getMetadataStorage() as unknown as Storage;
  const metas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  // No rules: class-validator rejects it (forbidUnknownValues); field initialisers: the instance differs.
  if (metas.length === 0 || Object.values(new cls()).some((v) => v !== undefined)) return null;
  // @Expose / @Exclude on the class (its strategy) or on any property, inherited too.
  const ct = defaultMetadataStorage;
  const exposure = ct.getExposedMetadatas(cls).length + ct.getExcludedMetadatas(cls).length;
  if (exposure > 0 || ct.getStrategy(cls) !== 'none') return null;
  const byProperty = new Map<string, Meta[]>();
  for (const m of metas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  const properties: Array<[string, ValueCheck]> = [];
  for (const [name, list] of byProperty) {
    const check = compileProperty(cls, name, list, storage);
    if (!check) return null;
    properties.push([name, check]);
  }
  const allowed = new Set(byProperty.keys());
  return (plain) => {
    if (!isPlainObject(plain)) return false;
    for (const key in plain) if (!allowed.has(key)) return false; // forbidNonWhitelisted
    for (const [name, check] of properties) if (!check(plain[name], plain)) return false;
    return true;
  };
}

function compileProperty(
  cls: ClassConstructor<object>,
  name: string,
  metas: Meta[],
  storage: Storage,
): ValueCheck | null {
  // Any transform that plainToInstance runs (both directions' too) makes the instance differ.
  const transforms = [TransformationType.PLAIN_TO_CLASS, TransformationType.CLASS_TO_PLAIN].flatMap((type) =>
    defaultMetadataStorage.findTransformMetadatas(cls, name, type),
  );
  if (transforms.length > 0) return null;
  const conditions: Array<(object: unknown, value: unknown) => boolean> = [];
  const rules: ValueCheck[] = [];
  let nested: ValueCheck | null = null;
  for (const m of metas) {
    if (m.groups?.length || m.always !== undefined || m.validateIf) return null;
    if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      conditions.push(m.constraints[0] as (object: unknown, value: unknown) => boolean);
    } else if (m.type === ValidationTypes.CUSTOM_VALIDATION || m.type === ValidationTypes.IS_DEFINED) {
      const rule = compileRule(cls, name, m, storage);
      if (!rule) return null;
      rules.push(rule);
    } else if (m.type === ValidationTypes.NESTED_VALIDATION) {
      const typeMeta = defaultMetadataStorage.findTypeMetadata(cls, name);
      const inner = typeMeta ? fastCheckOf(typeMeta.typeFunction() as ClassConstructor<object>) : null;
      if (!inner) return null;
      nested = (value) =>
        value === undefined ||
        (Array.isArray(value)
          ? value.every((v) => isPlainObject(v) && inner(v))
          : isPlainObject(value) && inner(value));
    } else if (m.type !== ValidationTypes.WHITELIST) {
      return null;
    }
  }
  // A @Type without @ValidateNested would be turned into an instance that nothing validates.
  if (!nested && defaultMetadataStorage.findTypeMetadata(cls, name)) return null;
  const all = nested ? [...rules, nested] : rules;
  return (value, object) => {
    for (const condition of conditions) if (!condition(object, value)) return true; // IsOptional: skipped
    for (const rule of all) if (!rule(value, object)) return false;
    return true;
  };
}

/** One constraint, run as class-validator runs it: on the value, or on each item with `each`. */
function compileRule(
  cls: ClassConstructor<object>,
  name: string,
  m: Meta,
  storage: Storage,
): ValueCheck | null {
  const constraints = storage.getTargetValidatorConstraints(m.constraintCls);
  if (constraints.length === 0 || constraints.some((c) => c.async)) return null;
  // As class-validator does: with `each`, every item is checked and `args.value` is the whole array.
  const validate = (value: unknown, object: object, whole: unknown): boolean => {
    const args: ValidationArguments = {
      targetName: cls.name,
      property: name,
      object,
      value: whole,
      constraints: m.constraints,
    };
    for (const c of constraints) if (c.instance.validate(value, args) !== true) return false;
    return true;
  };
  if (!m.each) return (value, object) => validate(value, object, value);
  return (value, object) =>
    Array.isArray(value)
      ? value.every((item) => validate(item, object, value))
      : validate(value, object, value);
}
