import fc from 'fast-check';
import { dateText, junkText, numberText, searchText } from './fuzz-text';

/**
 * Generators for the fuzz spec (fuzz.e2e-spec.ts): requests derived from the served OpenAPI
 * document and from real, valid bodies, then bent at random. This file: the operations and their
 * query strings and paths; fuzz-text.ts: strings, numbers and dates; fuzz-bodies.ts: bodies.
 */

/** What the running service holds, so that generated values can be real as well as junk. */
export interface Known {
  readonly entryIds: string[];
  readonly actorIds: string[];
  readonly sourceIds: string[];
  readonly measureIds: string[];
  readonly crisisIds: string[];
  readonly eventIds: string[];
  readonly eventTypes: string[];
  readonly projections: string[];
  readonly keyIds: string[];
  readonly cursors: string[];
  /** Sizes of the signed audit checkpoints. */
  readonly treeSizes: number[];
  /** The log's head as a number when the spec started (positions are small integers here). */
  readonly head: number;
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly schema: any;
}

export interface Operation {
  readonly method: string;
  /** As documented, e.g. /v1/actors/{actorId}. */
  readonly path: string;
  readonly parameters: Parameter[];
  /** The request body's schema, $refs left as they are. */
  readonly body?: any;
  readonly produces: string[];
}

/** Every operation of an OpenAPI 3 document. */
export function operationsOf(document: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(document.paths))
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const produces = Object.values<any>(op.responses ?? {}).flatMap((r) => Object.keys(r.content ?? {}));
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).map((p: any) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          schema: p.schema ?? {},
        })),
        body: op.requestBody?.content?.['application/json']?.schema,
        produces,
      });
    }
  return ops;
}

/** Percent-encodes the UTF-8 bytes of `s` (a lone surrogate becomes U+FFFD, as any client sends it). */
export function percentEncode(s: string, keep = /[A-Za-z0-9\-._~]/): string {
  let out = '';
  for (const ch of s) {
    if (keep.test(ch)) out += ch;
    else
      for (const byte of Buffer.from(ch, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Query strings and path parameters

/** A value for one query parameter: valid-looking for its schema and name, a boundary, or junk. */
export function queryValue(p: Parameter, known: Known): fc.Arbitrary<string> {
  const schema = p.schema.type === 'array' ? (p.schema.items ?? {}) : p.schema;
  const valid: Array<fc.Arbitrary<string>> = [];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const values = schema.enum.map(String);
    valid.push(fc.constantFrom(...values));
    valid.push(fc.constantFrom(...values).map((v: string) => v.toLowerCase()));
  }
  const numeric = schema.type === 'number' || schema.type === 'integer';
  if (numeric) {
    const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
    const max = typeof schema.maximum === 'number' ? schema.maximum : Math.max(known.head + 5, 100);
    valid.push(fc.integer({ min: min - 2, max: max + 2 }).map(String));
    valid.push(fc.constantFrom(String(min), String(max), String(min - 1), String(max + 1)));
  }
  if (schema.type === 'boolean') valid.push(fc.constantFrom('true', 'false', '1', '0', 'yes', 'TRUE', ''));
  if (schema.format === 'uuid' || /entry|linked/i.test(p.name))
    valid.push(fc.oneof(fc.constantFrom(...known.entryIds), fc.uuid()));
  if (/position|after/i.test(p.name)) {
    valid.push(fc.integer({ min: 0, max: known.head + 3 }).map(String));
    valid.push(fc.integer({ min: 0, max: known.head }).map((n) => `${n}-${n}`));
  }
  if (numeric && /size|^from$|^to$/i.test(p.name) && known.treeSizes.length > 0)
    valid.push(fc.constantFrom(...known.treeSizes).map(String));
  if (!numeric && /^(asOf|at|from|to)$/.test(p.name)) valid.push(dateText);
  if (/actor/i.test(p.name)) valid.push(fc.constantFrom(...known.actorIds));
  if (/crisis/i.test(p.name)) valid.push(fc.constantFrom(...known.crisisIds));
  if (/source/i.test(p.name)) valid.push(fc.constantFrom(...known.sourceIds));
  if (/^type$/.test(p.name)) valid.push(fc.constantFrom(...known.eventTypes));
  if (/^(q|place|name)$/i.test(p.name)) valid.push(searchText);
  if (/country/i.test(p.name)) valid.push(fc.constantFrom('UA', 'RU', 'ua', 'GB', 'XX', 'UKR', ''));
  if (/cursor/i.test(p.name) && known.cursors.length > 0) {
    valid.push(fc.constantFrom(...known.cursors));
    valid.push(
      fc
        .tuple(fc.constantFrom(...known.cursors), fc.nat(), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([c, i, s]) => c.slice(0, i % (c.length + 1)) + s + c.slice((i % (c.length + 1)) + 1)),
    );
    valid.push(fc.base64String({ maxLength: 80 }));
  }
  if (p.schema.type === 'array')
    valid.push(
      fc.array(valid.length > 0 ? fc.oneof(...valid) : junkText, { maxLength: 4 }).map((vs) => vs.join(',')),
    );
  return fc.oneof(
    ...valid.map((arbitrary) => ({ arbitrary, weight: Math.ceil(12 / valid.length) + 6 })),
    { arbitrary: numberText, weight: 2 },
    { arbitrary: dateText, weight: 1 },
    { arbitrary: junkText, weight: 3 },
  );
}

/** The bad percent-escapes a hostile client sends. */
const BAD_ESCAPES = [
  '%',
  '%F',
  '%FF',
  '%zz',
  '%C3%28',
  '%ED%A0%80',
  '%00',
  '%0A',
  '%E2%82',
  '%25',
  '%2F',
  '%26',
  '%3D',
];

/** Puts a value on the wire: percent-encoded, as typed (the client encodes what it must), or with bad escapes. */
export function onTheWire(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: value.map((v) => percentEncode(v)), weight: 40 },
    { arbitrary: value.map((v) => v.replace(/[&#%+]/g, (c) => percentEncode(c))), weight: 10 },
    {
      arbitrary: fc.tuple(value, fc.nat(), fc.constantFrom(...BAD_ESCAPES)).map(([v, i, bad]) => {
        const encoded = percentEncode(v);
        const at = i % (encoded.length + 1);
        return encoded.slice(0, at) + bad + encoded.slice(at);
      }),
      weight: 5,
    },
    // Past Node's 16 KiB limit on the request line and headers: a 431 before any route.
    { arbitrary: fc.integer({ min: 17_000, max: 24_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
  );
}

const STRANGE_NAMES = ['__proto__', 'constructor', 'limit[]', 'type[0]', 'a[b]', '', 'LIMIT', 'nonsense'];

/** A query string for an operation: its parameters, some repeated, some unknown, in any order. */
export function queryString(op: Operation, known: Known): fc.Arbitrary<string> {
  const declared = op.parameters.filter((p) => p.in === 'query');
  const pair = (p: Parameter) => onTheWire(queryValue(p, known)).map((v) => `${percentEncode(p.name)}=${v}`);
  const pairs: Array<fc.Arbitrary<string>> = declared.map(pair);
  const strange = fc
    .tuple(fc.constantFrom(...STRANGE_NAMES), onTheWire(junkText))
    .map(([n, v]) => `${percentEncode(n)}=${v}`);
  const bare = fc.constantFrom(...(declared.length ? declared.map((p) => p.name) : ['x']), '=', '&&', '=1');
  const required = declared.filter((p) => p.required);
  return fc
    .tuple(
      fc.array(
        fc.oneof(
          ...pairs.map((arbitrary) => ({ arbitrary, weight: 8 })),
          { arbitrary: strange, weight: 1 },
          { arbitrary: bare, weight: 1 },
        ),
        { maxLength: pairs.length > 0 ? 5 : 2 },
      ),
      // Required parameters are there nine times in ten, so that the rest gets exercised.
      required.length > 0 ? fc.tuple(...required.map(pair)) : fc.constant<string[]>([]),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([chosen, requiredPairs, leaveOut]) => [...(leaveOut > 0 ? requiredPairs : []), ...chosen])
    .map((all) => (all.length === 0 ? '' : `?${all.join('&')}`));
}

/** A value for a path parameter: a real id of the kind its name suggests, a uuid, or junk. */
export function pathValue(p: Parameter, known: Known): fc.Arbitrary<string> {
  const real: string[] = /entry/i.test(p.name)
    ? known.entryIds
    : /actor/i.test(p.name)
      ? known.actorIds
      : /source/i.test(p.name)
        ? known.sourceIds
        : /measure/i.test(p.name)
          ? known.measureIds
          : /event/i.test(p.name)
            ? known.eventIds
            : /key/i.test(p.name)
              ? known.keyIds
              : /name/i.test(p.name)
                ? known.projections
                : [];
  const junkSegment = fc.oneof(
    { arbitrary: onTheWire(junkText.filter((s) => s.length > 0)), weight: 4 },
    {
      arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2F', 'a%2Fb', '%00', '%FF', '%C0%AF', ';x=1'),
      weight: 2,
    },
    { arbitrary: fc.integer({ min: 0, max: 3_000 }).map((n) => `${'a'.repeat(n)}`), weight: 1 },
  );
  return fc.oneof(
    ...(real.length > 0
      ? [{ arbitrary: fc.constantFrom(...real).map((v) => percentEncode(v)), weight: 6 }]
      : []),
    { arbitrary: fc.uuid(), weight: 2 },
    { arbitrary: numberText.map((v) => percentEncode(v)), weight: 1 },
    { arbitrary: junkSegment, weight: 4 },
  );
}

/** The operation's path with every parameter filled. */
export function concretePath(op: Operation, known: Known): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'path');
  if (params.length === 0) return fc.constant(op.path);
  return fc
    .tuple(...params.map((p) => pathValue(p, known)))
    .map((values) => params.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i]!), op.path));
}
