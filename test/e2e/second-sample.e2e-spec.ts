import { join } from 'node:path';
import { TestApp } from './harness';

/**
 * The second sample (the 2023 coup in Niger, docs/second-sample.md) loads through the write side
 * with SAMPLE_FILE, and reads back with what model v2 lets it say: measures over time, memberships
 * with periods, field-level disputes, links, several places.
 */
describe('the second sample chronology (SAMPLE_FILE)', () => {
  let t: TestApp;
  let head = '';
  beforeAll(async () => {
    t = await TestApp.start({
      LOAD_SAMPLE: 'true',
      SAMPLE_FILE: join(__dirname, '..', '..', 'sample', 'second-crisis.json'),
    });
    head = (await t.head())!;
  }, 90_000);
  afterAll(() => t.close());

  it('loads every item, each report with the URL and publication date of its article', async () => {
    const res = await t.get(`/v1/timeline?crisis=niger-coup-2023&limit=200&minPosition=${head}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(49);
    for (const item of res.body.items) {
      expect(item.attribution.url).toMatch(/^https?:\/\//);
      expect(item.attribution.publishedAt).toMatch(/^202[34]-/);
    }
    expect(Number(head)).toBeGreaterThanOrEqual(255);
  });

  it("gives the sanctions' state at each moment, and the sanctions still partly lifted now", async () => {
    const at = async (when: string) =>
      (await t.get(`/v1/measures/ecowas-uemoa-sanctions-niger-2023?at=${when}`)).body.state?.status ?? null;
    expect(await at('2023-07-29')).toBeNull();
    expect(await at('2023-09-01')).toBe('imposed');
    expect(await at('2024-03-01')).toBe('partly-lifted');
    const threat = (await t.get('/v1/measures/ecowas-threat-of-force-niger-2023')).body;
    expect(threat.history.map((c: any) => c.status)).toEqual(['proposed', 'planned', 'announced']);
  });

  it('rolls Niger up into ECOWAS only for entries before it left, and into the AES only after it joined', async () => {
    const ecowas = (await t.get('/v1/actors/ecowas?includeMembers=true')).body;
    expect(ecowas.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: 'niger', validTo: '2024-01-28T00:00:00.000Z' }),
      ]),
    );
    const aes = await t.get('/v1/timeline?actor=alliance-of-sahel-states&includeMembers=true&limit=200');
    expect(aes.body.items.length).toBeGreaterThan(0);
    for (const item of aes.body.items) expect(item.occurred.end > '2023-09-16').toBe(true);
    const nigerBefore = await t.get('/v1/timeline?actor=niger&to=2023-09-15&limit=200');
    expect(nigerBefore.body.items.length).toBeGreaterThan(0);
  });

  it('keeps disputes of single fields apart from disputes of whole entries', async () => {
    const fields = await t.get('/v1/timeline?crisis=niger-coup-2023&disputed=occurred&limit=200');
    expect(fields.body.items.length).toBeGreaterThan(0);
    for (const item of fields.body.items) expect(item.disputed.fields).toContain('occurred');
    const whole = await t.get('/v1/timeline?crisis=niger-coup-2023&disputed=*&limit=200');
    expect(whole.body.items.length).toBeGreaterThan(0);
  });
});
