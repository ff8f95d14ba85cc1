import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { validateInto } from '../../shared/validation';
import { CATALOGUE, type KnownTypeName } from './catalogue';
import { eventSchemas } from './event-schemas';
import { EXAMPLES } from './examples';

/** The schemas GET /v1/event-types gives, and their examples, against what validation accepts. */
describe('event schemas and examples', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const { byType } = eventSchemas();

  it.each([...CATALOGUE.keys()])('%s: the example passes validation and its schema', (name) => {
    const type = CATALOGUE.get(name)!;
    const example = EXAMPLES[name as KnownTypeName];
    expect(() => validateInto(type.dto, structuredClone(example), 'data')).not.toThrow();
    const check = ajv.compile(byType.get(name)!);
    expect([check(example), check.errors]).toEqual([true, null]);
  });

  it('refuses in the schema what validation refuses: a missing field, an unknown one, a bad value', () => {
    const check = ajv.compile(byType.get('TroopBuildupReported')!);
    const { summary: _summary, ...missing } = EXAMPLES.TroopBuildupReported;
    expect(check(missing)).toBe(false);
    expect(check({ ...EXAMPLES.TroopBuildupReported, colour: 'red' })).toBe(false);
    expect(check({ ...EXAMPLES.TroopBuildupReported, crisisId: 'Not A Slug' })).toBe(false);
    expect(
      check({ ...EXAMPLES.TroopBuildupReported, occurred: { start: '2022-02-18', precision: 'fortnight' } }),
    ).toBe(false);
  });
});
