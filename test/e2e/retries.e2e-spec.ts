import { randomUUID } from 'node:crypto';
import { REGISTRY, REPORTS, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** Every retry of every event type answers the original result and stores nothing twice. */
describe('identical retries (embedded SQLite, real HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  /** Posts the body twice with one id: 201, then 200 with the same position; returns the answer. */
  async function twice(type: string, data: Record<string, unknown>): Promise<any> {
    const id = randomUUID();
    const first = await t.post('/v1/events', { id, type, data });
    expect([type, first.status, first.body.detail]).toEqual([type, 201, undefined]);
    const again = await t.post('/v1/events', { id, type, data });
    expect([type, again.status]).toEqual([type, 200]);
    expect(again.body).toEqual(first.body);
    return first.body;
  }

  it('for the registries, every report type and every follow-up, a correction of codes included', async () => {
    for (const e of REGISTRY) await twice(e.type, e.data);
    const entries: Record<string, string> = {};
    for (const r of REPORTS) entries[r.type] = (await twice(r.type, r.data)).entryId;

    const entryId = entries.IncidentReported!;
    await twice('EntryCorroborated', { entryId, sourceId: 'reuters' });
    await twice('EntryDisputed', { entryId, byActorId: 'ukraine', reason: 'not so' });
    await twice('CredibilityAssessed', { entryId, credibility: 3, rationale: 'one source' });
    // The PLOVER type changes the entry's codes: the retry is planned on the entry as it was.
    await twice('EntryCorrected', {
      entryId,
      changes: { plover: { type: 'INVESTIGATE' } },
      reason: 'it was an inquiry',
    });
    await twice('EntryCorrected', {
      entryId: entries.DiplomaticContactHeld!,
      changes: { mode: 'visit' },
      reason: 'in person',
    });
    await twice('EntryRetracted', { entryId: entries.StatementMade!, reason: 'withdrawn' });
    const entry = await t.get(`/v1/entries/${entryId}`);
    expect(entry.body.history.map((h: any) => h.type)).toEqual([
      'IncidentReported',
      'EntryCorroborated',
      'EntryDisputed',
      'CredibilityAssessed',
      'EntryCorrected',
    ]);
  });

  it('refuses an id reused for another event of the same entry as a duplicate, not as a missing entry', async () => {
    const report = await t.post('/v1/events', {
      id: randomUUID(),
      type: 'StatementMade',
      data: reportBase(17),
    });
    const reused = await t.post('/v1/events', {
      id: report.body.id,
      type: 'EntryCorrected',
      data: { entryId: report.body.entryId, changes: { summary: 'changed' }, reason: 'reused id' },
    });
    expect([reused.status, reused.body.code]).toEqual([409, 'duplicate_event']);
  });

  it('and through the bulk path, a batch sent again answers every item from what is stored', async () => {
    const items = [
      {
        ref: 'i',
        id: randomUUID(),
        type: 'IncidentReported',
        data: reportBase(16, { plover: { type: 'ASSAULT' } }),
      },
      {
        id: randomUUID(),
        type: 'EntryCorrected',
        data: { entryId: '@i', changes: { plover: { type: 'INVESTIGATE' } }, reason: 'an inquiry' },
      },
    ];
    expect((await t.post('/v1/events/batch', { items })).body).toMatchObject({ stored: 2, failed: 0 });
    expect((await t.post('/v1/events/batch', { items })).body).toMatchObject({ alreadyStored: 2, failed: 0 });
  });
});
