import { Exclude, Expose, Transform, type ClassConstructor } from 'class-transformer';
import { IsOptional, IsString } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastCheckOf } from '../../shared/fast-validation';
import { classValidation, validateInto } from '../../shared/validation';
import { CATALOGUE } from '../events/catalogue';
import { PostEventDto } from './post-event.dto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const sample = JSON.parse(readFileSync(join(__dirname, '../../../sample/chronology.json'), 'utf8')) as {
  events: Array<{ type: string; data: Json }>;
};
const UUID = '3f2b8c1e-6a4d-4e2f-9b1a-7c5d2e8f0a13';
/** The sample's "@ref" strings stand for entry ids. */
const resolve = (v: Json): Json =>
  typeof v === 'string' && v.startsWith('@')
    ? UUID
    : Array.isArray(v)
      ? v.map(resolve)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]))
        : v;

const REPLACEMENTS: Array<Json | undefined> = [
  undefined,
  null,
  0,
  -1,
  1.5,
  1e9,
  '',
  'x',
  'x'.repeat(5001),
  true,
  [],
  {},
  ['x'],
  [{}],
  'RU',
  'ZZ',
  'claimant',
  '2022-02-17T10:00:00Z',
  'Europe/Kyiv',
  UUID,
  UUID.toUpperCase(),
  'https://example.org/a',
  'ftp://example.org',
  'Not A Slug',
];

/** Every body one change away from `value`: each node replaced, each object given an unknown key. */
function* mutations(value: Json): Generator<Json> {
  const at = (path: Array<string | number>, replacement: Json | undefined): Json => {
    const copy = structuredClone(value);
    let parent: Json = copy;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string, Json>)[key]!;
    const last = path[path.length - 1]!;
    if (replacement === undefined) {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete (parent as Record<string, Json>)[last];
    } else (parent as Record<string | number, Json>)[last] = replacement;
    return copy;
  };
  const walk = function* (node: Json, path: Array<string | number>): Generator<Json> {
    if (path.length > 0) for (const r of REPLACEMENTS) yield at(path, r);
    if (Array.isArray(node)) {
      yield at([...path, node.length], node[0] ?? 'x');
      for (let i = 0; i < node.length; i++) yield* walk(node[i]!, [...path, i]);
    } else if (node && typeof node === 'object') {
      yield at([...path, 'unknownField'], 1);
      for (const [k, v] of Object.entries(node)) yield* walk(v, [...path, k]);
    }
  };
  yield* walk(value, []);
}

const accepted = (cls: ClassConstructor<object>, body: Json): boolean =>
  body !== null && typeof body === 'object' && classValidation(cls, body).errors.length === 0;

describe('the fast validation path', () => {
  // One sample event of each type: the mutations of each cover every rule of the type.
  const cases = [
    ...new Map(sample.events.map((e) => [e.type, { type: e.type, data: resolve(e.data) }])).values(),
  ];

  it('is compiled for every type of the catalogue and the POST envelope', () => {
    for (const type of CATALOGUE.values())
      expect([type.name, fastCheckOf(type.dto)]).not.toEqual([type.name, null]);
    expect(fastCheckOf(PostEventDto)).not.toBeNull();
  });

  it('is not compiled for a class whose instance plainToInstance would change (transforms, @Exclude, @Expose)', () => {
    class Trimmed {
      @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value), {
        toClassOnly: true,
      })
      @IsString()
      name!: string;
    }
    class Hidden {
      @IsString() name!: string;
      @Exclude() @IsOptional() @IsString() secret?: string;
    }
    @Expose()
    class Exposed {
      @IsString() name!: string;
    }
    expect([fastCheckOf(Trimmed), fastCheckOf(Hidden), fastCheckOf(Exposed)]).toEqual([null, null, null]);
  });

  it('accepts every sample event, as class-validator does', () => {
    for (const { type, data } of cases) {
      const dto = CATALOGUE.get(type)!.dto;
      expect([type, accepted(dto, data)]).toEqual([type, true]);
      expect([type, fastCheckOf(dto)!(data)]).toEqual([type, true]);
    }
  });

  it('never accepts a body class-validator refuses (every one-change mutation of the sample)', () => {
    let fastAccepted = 0;
    let refused = 0;
    const wrongly: string[] = [];
    for (const { type, data } of cases) {
      const dto = CATALOGUE.get(type)!.dto;
      const check = fastCheckOf(dto)!;
      for (const body of mutations(data)) {
        const fast = check(body);
        const slow = accepted(dto, body);
        if (fast && !slow) wrongly.push(`${type}: ${JSON.stringify(body).slice(0, 300)}`);
        if (fast) fastAccepted++;
        if (!slow) refused++;
      }
      for (const body of mutations({ id: UUID, type, data })) {
        if (fastCheckOf(PostEventDto)!(body) && !accepted(PostEventDto, body))
          wrongly.push(`envelope: ${JSON.stringify(body).slice(0, 300)}`);
      }
    }
    expect(wrongly).toEqual([]);
    expect(refused).toBeGreaterThan(1000);
    expect(fastAccepted).toBeGreaterThan(1000);
  });

  it('leaves the errors to class-validator: a refused body names every bad field', () => {
    const data = structuredClone(cases.find((c) => c.type === 'TroopBuildupReported')!.data) as Record<
      string,
      Json
    >;
    data.summary = '';
    data.extra = 1;
    expect(() => validateInto(CATALOGUE.get('TroopBuildupReported')!.dto, data, 'data')).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({
          errors: expect.arrayContaining([
            { path: 'data.summary', message: 'summary must be longer than or equal to 1 characters' },
            { path: 'data.extra', message: 'property extra should not exist' },
          ]),
        }) as unknown,
      }),
    );
  });
});
