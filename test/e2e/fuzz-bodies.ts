import fc from 'fast-check';
import type { Known } from './fuzz-arbitraries';
import { dateText, junkText, zoneText } from './fuzz-text';

/** Request bodies for the fuzz spec: real examples bent at random, and junk. */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Serialised as the number literal 1e999, which JSON.parse reads as Infinity. */
export const HUGE_NUMBER = '\u0000huge-number\u0000';

/** Nests `inner` `depth` levels deep in arrays or objects. */
function nest(inner: Json, depth: number, asArray: boolean): Json {
  let v = inner;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** A JSON value to put where a field was. */
export function junkValue(known: Known): fc.Arbitrary<Json> {
  return fc.oneof(
    { arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e308, -0, [], {}), weight: 4 },
    { arbitrary: fc.constant<Json>(HUGE_NUMBER), weight: 1 },
    { arbitrary: fc.integer(), weight: 1 },
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
    { arbitrary: junkText, weight: 4 },
    { arbitrary: dateText, weight: 3 },
    { arbitrary: fc.constantFrom<Json>(...known.entryIds, ...known.actorIds, ...known.sourceIds), weight: 2 },
    { arbitrary: fc.constantFrom<Json>(...known.eventTypes), weight: 1 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, weight: 2 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 25, max: 40 }), fc.boolean())
        .map(([depth, asArray]) => nest(1, depth, asArray)),
      weight: 1,
    },
    { arbitrary: fc.array(fc.constant<Json>('x'), { minLength: 200, maxLength: 2_000 }), weight: 1 },
  );
}

type Step =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: Json }
  | { kind: 'add'; at: number; key: string; value: Json }
  | { kind: 'grow'; at: number; times: number }
  | { kind: 'retype'; type: string }
  | { kind: 'retime'; at: number; value: string };

function pathsOf(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(prefix);
  if (out.length > 500) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function parentOf(root: Json, path: Array<string | number>): any {
  let v: any = root;
  for (const part of path.slice(0, -1)) v = v[part];
  return v;
}

function apply(root: Json, step: Step): Json {
  if (step.kind === 'retype') {
    if (root !== null && typeof root === 'object' && !Array.isArray(root))
      return { ...root, type: step.type };
    return root;
  }
  let paths = pathsOf(root);
  if (step.kind === 'retime') {
    // A time or a zone where there is one (timezone, start, end, reportedAt, ...).
    paths = paths.filter((p) =>
      /zone|start|end|At$|date|effective|planned|^at$/i.test(String(p[p.length - 1])),
    );
    if (paths.length === 0) return root;
    const path = paths[step.at % paths.length]!;
    parentOf(root, path)[path[path.length - 1]!] = step.value;
    return root;
  }
  const path = paths[step.at % paths.length]!;
  const last = path[path.length - 1];
  if (step.kind === 'delete') {
    if (path.length === 0) return {};
    const parent = parentOf(root, path);
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last!];
    return root;
  }
  if (step.kind === 'set') {
    if (path.length === 0) return step.value;
    parentOf(root, path)[last!] = step.value;
    return root;
  }
  const target: any = path.length === 0 ? root : parentOf(root, path)[last!];
  if (step.kind === 'add') {
    if (target !== null && typeof target === 'object' && !Array.isArray(target))
      target[step.key] = step.value;
    else if (Array.isArray(target)) target.push(step.value);
    return root;
  }
  // grow: repeat an array's first element or a string
  if (path.length === 0) return root;
  const parent = parentOf(root, path);
  if (typeof target === 'string') parent[last!] = target.repeat(Math.min(step.times, 20_000));
  else if (Array.isArray(target) && target.length > 0)
    parent[last!] = Array.from({ length: step.times }, () => structuredClone(target[0]));
  return root;
}

const FIELD_NAMES = [
  'nonsense',
  '__proto__',
  'constructor',
  'id',
  'type',
  'data',
  'ref',
  'expectedRevision',
  '',
];

/** A real, valid body bent by one to three random mutations anywhere in it. */
export function mutated(seeds: Json[], known: Known): fc.Arbitrary<Json> {
  const step: fc.Arbitrary<Step> = fc.oneof(
    { arbitrary: fc.nat().map((at): Step => ({ kind: 'delete', at })), weight: 4 },
    {
      arbitrary: fc
        .tuple(fc.nat(), junkValue(known))
        .map(([at, value]): Step => ({ kind: 'set', at, value })),
      weight: 6,
    },
    {
      arbitrary: fc
        .tuple(
          fc.nat(),
          fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })),
          junkValue(known),
        )
        .map(([at, key, value]): Step => ({ kind: 'add', at, key, value })),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(fc.nat(), fc.constantFrom(2, 50, 1_001, 5_000))
        .map(([at, times]): Step => ({ kind: 'grow', at, times })),
      weight: 1,
    },
    {
      arbitrary: fc
        .oneof(fc.constantFrom(...known.eventTypes), junkText)
        .map((type): Step => ({ kind: 'retype', type })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(fc.nat(), fc.oneof(dateText, zoneText))
        .map(([at, value]): Step => ({ kind: 'retime', at, value })),
      weight: 4,
    },
  );
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(step, { minLength: 1, maxLength: 3 }))
    .map(([seed, steps]) => steps.reduce<Json>((body, s) => apply(body, s), structuredClone(seed)));
}

/**
 * A real body with one time or zone replaced and nothing else: the time rules (offsets within
 * ±18:00, years 0001-9999, end after start, zones) are reached only by bodies otherwise valid.
 */
export function retimed(seeds: Json[]): fc.Arbitrary<Json> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.nat(),
      fc.oneof({ arbitrary: dateText, weight: 4 }, { arbitrary: zoneText, weight: 1 }),
    )
    .map(([seed, at, value]) => apply(structuredClone(seed), { kind: 'retime', at, value }));
}

/** Serialises a body, writing HUGE_NUMBER as a number literal too large for a double. */
export function serialise(body: unknown): string {
  return JSON.stringify(body).replaceAll(JSON.stringify(HUGE_NUMBER), '1e999');
}

/** A raw body that is not what the route asked for: not JSON, not an object, poisoned, or odd. */
export function rawJunk(seeds: Json[]): fc.Arbitrary<string> {
  const text = fc.constantFrom(...seeds).map((s) => JSON.stringify(s));
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      'null',
      'true',
      '0',
      '"x"',
      '[]',
      '{}',
      '{',
      '}',
      '[[]',
      '\ufeff{}',
      'undefined',
    ),
    fc.string({ maxLength: 50 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    text.chain((t) => fc.nat({ max: t.length }).map((n) => t.slice(0, n))),
    text.map((t) => `\ufeff${t}`),
    text.map((t) =>
      t.replace('{', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},'),
    ),
    text.map((t) => t.replace(/"type":"([^"]*)"/, '"type":"$1","type":"StatementMade"')),
    text.map((t) => t.replace(/(\d+)/, '1e999')),
    fc.integer({ min: 33, max: 5_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.integer({ min: 33, max: 3_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  );
}

/** A valid-looking value for a JSON Schema (enough for the small admin bodies), using examples. */
export function exampleOf(schema: any, document: any, depth = 0): Json {
  if (!schema || depth > 8) return null;
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    return exampleOf(document.components?.schemas?.[name], document, depth + 1);
  }
  if (schema.example !== undefined) return schema.example as Json;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as Json;
  if (schema.oneOf ?? schema.anyOf) return exampleOf((schema.oneOf ?? schema.anyOf)[0], document, depth + 1);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [k, s] of Object.entries<any>(schema.properties ?? {}))
        out[k] = exampleOf(s, document, depth + 1);
      return out;
    }
    case 'array':
      return [exampleOf(schema.items, document, depth + 1)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return schema.minLength ? 'x'.repeat(schema.minLength) : 'fuzz';
  }
}
