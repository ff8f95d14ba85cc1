import fc from 'fast-check';

/**
 * Generators for the fuzz spec (fuzz.e2e-spec.ts): requests derived from the served OpenAPI
 * document and from real, valid bodies, then bent at random.
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
// Strings and numbers

const BOUNDARY_NUMBERS = [
  '0',
  '-0',
  '1',
  '-1',
  '2',
  '1.5',
  '1e3',
  '1e308',
  '1e999',
  '-1e999',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b1',
  '00012',
  ' 7',
  '7 ',
  '+7',
  '9007199254740991',
  '9007199254740993',
  '18446744073709551615',
  '18446744073709551616',
  '9'.repeat(41),
  '9'.repeat(300),
  '1-2',
  '3-1',
  '1-',
  '-',
  '١٢',
];

/** A number as a client might type it, or not quite a number. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...BOUNDARY_NUMBERS),
  fc.integer({ min: -5, max: 1_000 }).map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(String),
);

const YEARS = [
  '2022',
  '2023',
  '1999',
  '0000',
  '0001',
  '9999',
  '10000',
  '+099999',
  '-000001',
  '+002022',
  '22',
];
const MONTHS = ['01', '02', '12', '00', '13', '1', ''];
const DAYS = ['01', '17', '28', '29', '30', '31', '32', '00'];
const TIMES = ['', 'T10:00', 'T10:00:00', 'T23:59:59.999', 'T24:00', 'T23:59:60', 'T25:61', 'T10', 't10:00'];
const OFFSETS = ['', 'Z', 'z', '+00:00', '+02:00', '-05:00', '+14:00', '+18:00', '-18:00', '+18:01'];
const BAD_OFFSETS = ['+25:00', '-24:00', '+99:99', '+5', '+0530', '+05:30:00', '-00:00', '+2:00', 'UTC'];

/** Valid calendar days and times, at the edges of the years 0001-9999 and of leap years. */
const EDGE_DAYS = [
  '2022-02-17',
  '0001-01-01',
  '9999-12-31',
  '2024-02-29',
  '2023-02-29',
  '2022-03-27',
  '1970-01-01',
];
const EDGE_TIMES = ['T00:00', 'T10:00', 'T23:59:59.999', 'T02:30', 'T12:00:00'];
/** Offsets either side of the ±18:00 the service allows (and the ±23:59 ISO 8601 allows). */
const EDGE_OFFSETS = [
  'Z',
  '+14:00',
  '-12:00',
  '+18:00',
  '-18:00',
  '+18:01',
  '-18:01',
  '+23:59',
  '-23:59',
  '+1801',
];

/** Instants and dates: well formed, at the edges of what is allowed, subtly wrong, and not dates. */
export const dateText: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    weight: 2,
  },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(...EDGE_DAYS),
        fc.constantFrom('', ...EDGE_TIMES),
        fc.constantFrom(...EDGE_OFFSETS),
      )
      .map(([d, t, o]) => (t ? `${d}${t}${o}` : d)),
    weight: 4,
  },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(...YEARS),
        fc.constantFrom(...MONTHS),
        fc.constantFrom(...DAYS),
        fc.constantFrom(...TIMES),
        fc.oneof(fc.constantFrom(...OFFSETS), fc.constantFrom(...BAD_OFFSETS)),
      )
      .map(([y, m, d, t, o]) => (m === '' ? `${y}` : `${y}-${m}-${d}${t}${t ? o : ''}`)),
    weight: 3,
  },
  {
    arbitrary: fc
      .date({ min: new Date(-1e14), max: new Date(3e14), noInvalidDate: true })
      .map((d) => d.toISOString()),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom(
      '2022-02',
      '2022',
      '2022-W07',
      '2022-048',
      '2022-02-17/2022-02-18',
      'now',
      'yesterday',
    ),
    weight: 1,
  },
);

/** Unicode of every kind: graphemes, raw code points with lone surrogates, controls and zero-width. */
const unicodeText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\u0000', '\u202e', '\ufeff', '\u200b', 'Ⅻ', 'İ', 'ß', '🇺🇦', 'e\u0301', '\ud800', '\udfff'),
);

/** Strings that are junk for almost any field. */
export const junkText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(''), weight: 2 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 4 },
  { arbitrary: unicodeText, weight: 3 },
  { arbitrary: fc.constantFrom(' ', '  x  ', 'null', 'undefined', 'true', '[]', '{}', '%', '%%'), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      "' OR 1=1 --",
      '"; DROP TABLE events; --',
      '../../etc/passwd',
      '<script>alert(1)</script>',
      '${7*7}',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      '*',
      '%_',
      '\\',
    ),
    weight: 2,
  },
  { arbitrary: fc.integer({ min: 300, max: 5_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
);

/** What a search box receives: words, and the syntax of SQL LIKE and SQLite FTS5. */
const searchText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('russia', 'Kharkiv', 'troops', 'ceasefire', 'Ukraine border', 'нато', 'Київ'),
  fc.constantFrom(
    '"',
    '""',
    'a"b',
    'AND',
    'a OR',
    'NOT x',
    'NEAR(a b)',
    'NEAR(a b, -1)',
    'a*',
    '*',
    '^a',
    'summary:x',
    '{summary}: x',
    '-a',
    '(',
    ')',
    '%',
    '_',
    '\\%',
    "'",
    '\u0000',
    '+',
  ),
  fc
    .array(fc.constantFrom('a', 'OR', 'AND', 'NOT', '"', '*', '(', ')', ':', '^', 'russia', ' '), {
      maxLength: 8,
    })
    .map((parts) => parts.join(' ')),
);

/** Time zone names, real, retired, and invented. */
export const zoneText: fc.Arbitrary<string> = fc.constantFrom(
  'Europe/Kyiv',
  'Europe/Kiev',
  'UTC',
  'Etc/GMT+12',
  'Etc/GMT-14',
  'Etc/GMT+15',
  'EST5EDT',
  'America/Argentina/ComodRivadavia',
  'europe/kyiv',
  'Europe/Kyiv ',
  'Mars/Olympus',
  'UTC+25:00',
  '+03:00',
  'Z',
  'local',
  'system',
  '',
);

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

// ---------------------------------------------------------------------------------------------
// Bodies

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
