import { join } from 'node:path';
import { REPORT_TYPE_NAMES } from '../../src/chronology/events';
import { readSample, sampleEntryId } from '../../src/chronology/sample/sample-loader';
import { TestApp } from './harness';

/** What a new user sees: the service started with no configuration serves the sample chronology. */
describe('first start on an empty data dir loads the sample chronology', () => {
  const sample = readSample(join(__dirname, '..', '..', 'sample', 'chronology.json'));
  const reports = sample.events.filter((e) => (REPORT_TYPE_NAMES as readonly string[]).includes(e.type));
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
  });
  afterAll(() => t.close());

  async function timeline(): Promise<any[]> {
    const res = await t.get(`/v1/timeline?limit=200&minPosition=${sample.events.length}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  it('shows every sample report on the timeline, by when it happened, with claimant, source and status', async () => {
    const items = await timeline();
    expect(items).toHaveLength(reports.length);
    // By the ordering rule (docs/ordering.md): no entry sorts after one that ended before it began,
    // and an entry whose start is a month sorts after the days of that month.
    const spans = items.map((i) => [Date.parse(i.occurred.start), Date.parse(i.occurred.end)] as const);
    for (const [i, [start]] of spans.entries())
      for (const [, end] of spans.slice(i + 1)) expect(end).toBeGreaterThan(start);
    const month = items.findIndex((i) => i.occurred.precision === 'month');
    expect(month).toBeGreaterThan(0);
    expect(items.slice(0, month).every((i) => i.occurred.precision !== 'month')).toBe(true);
    for (const item of items) {
      expect(item.claimants.length).toBeGreaterThan(0);
      expect(item.source).toMatchObject({ sourceId: expect.any(String), reliability: expect.any(String) });
      expect(['reported', 'corroborated', 'disputed', 'refuted', 'retracted']).toContain(item.status);
    }
  });

  it("gives each entry its own source's grade (a D-graded ministry is not shown as the B-graded outlet)", async () => {
    const sources = (await t.get('/v1/sources')).body.items as any[];
    const grade = new Map(sources.map((s) => [s.sourceId, s.reliability]));
    expect(new Set(grade.values()).size).toBeGreaterThan(1);
    for (const item of await timeline())
      expect(item.source.reliability).toBe(grade.get(item.source.sourceId));
  });

  it("marks the withdrawal claim disputed and lists it among Russia's claims that others dispute", async () => {
    const withdrawal = sampleEntryId('putin-withdrawal-claim');
    const entry = await t.get(`/v1/entries/${withdrawal}`);
    expect(entry.status).toBe(200);
    expect(entry.body.status).toBe('disputed');
    expect(entry.body.history.length).toBeGreaterThanOrEqual(4); // reported, corroborated, disputed twice, assessed
    const russia = await t.get('/v1/actors/russia?includeMembers=true');
    expect(russia.status).toBe(200);
    expect(russia.body.involvement.entries).toBeGreaterThan(5);
    expect(russia.body.disputedClaims.map((c: any) => c.entryId)).toContain(withdrawal);
  });

  it('does not load the sample again on restart', async () => {
    const before = (await timeline()).length;
    t = await t.restart({ LOAD_SAMPLE: 'true' });
    expect(await timeline()).toHaveLength(before);
  });
});
