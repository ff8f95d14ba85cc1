import fc from 'fast-check';

/** Strings, numbers and dates for the fuzz spec: valid, at the edges, and junk. */

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
export const searchText: fc.Arbitrary<string> = fc.oneof(
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
