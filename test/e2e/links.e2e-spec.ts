import { randomUUID } from 'node:crypto';
import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** EntryLinked / EntryUnlinked: links between entries, checked on the write side, shown and filtered. */
describe('links between entries (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  let a: string; // a demand (a day)
  let b: string; // the decision it asked for (timed)
  let c: string; // what followed
  let last = '';

  const report = async (
    day: number,
    summary: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> => {
    const res = await t.append('StatementMade', reportBase(day, { summary, ...extra }));
    last = res.position;
    return res.entryId as string;
  };
  const link = (from: string, to: string, relation: string, extra: Record<string, unknown> = {}) =>
    t.post('/v1/events', {
      type: 'EntryLinked',
      data: { fromEntryId: from, toEntryId: to, relation, sourceId: 'reuters', ...extra },
    });
  const linkedTo = async (entryId: string, extra = ''): Promise<string[]> => {
    const res = await t.get(`/v1/timeline?crisis=${CRISIS}&linkedTo=${entryId}&minPosition=${last}${extra}`);
    expect(res.status).toBe(200);
    return res.body.items.map((i: any) => i.entryId).sort();
  };

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    a = await report(3, 'the demand');
    b = await report(4, 'the decision', { occurred: { start: '2022-02-04T10:00Z' } });
    c = await report(5, 'what followed');
  });
  afterAll(() => t.close());

  it('links two entries with a relation, a source and a claimant, and shows it on both', async () => {
    const res = await link(a, b, 'precedes', { claimantActorId: 'ukraine', note: 'the calls came first' });
    expect(res.status).toBe(201);
    expect(res.body.stream).toBe(`links-${CRISIS}`);
    last = res.body.position;
    const from = await t.get(`/v1/entries/${a}?minPosition=${last}`);
    const to = await t.get(`/v1/entries/${b}?minPosition=${last}`);
    expect(from.body.links).toEqual([
      expect.objectContaining({
        relation: 'precedes',
        direction: 'out',
        entryId: b,
        sourceId: 'reuters',
        claimantActorId: 'ukraine',
        note: 'the calls came first',
      }),
    ]);
    expect(to.body.links).toEqual([
      expect.objectContaining({ relation: 'precedes', direction: 'in', entryId: a }),
    ]);
    expect(from.body.links[0].linkId).toBe(to.body.links[0].linkId);
  });

  it('refuses a cycle of "precedes", a self-link, a link made twice, and entries that do not exist', async () => {
    last = (await link(b, c, 'precedes')).body.position;
    const cycle = await link(c, a, 'precedes');
    expect([cycle.status, cycle.body.code]).toEqual([422, 'rule_violated']);
    expect(cycle.body.detail).toContain('cycle');
    expect((await link(a, a, 'confirms')).body.code).toBe('rule_violated');
    expect((await link(a, b, 'precedes')).body.code).toBe('conflict');
    const missing = await link(a, randomUUID(), 'causes');
    expect([missing.status, missing.body.code, missing.body.errors[0].path]).toEqual([
      422,
      'unknown_reference',
      'data.toEntryId',
    ]);
    // Other relations may run either way.
    expect((await link(c, a, 'responds-to')).status).toBe(201);
  });

  it('refuses a link between entries of two crises', async () => {
    await t.append('CrisisRegistered', { crisisId: 'other-crisis', name: 'Other', countries: ['FR'] });
    const other = (await t.append('StatementMade', reportBase(6, { crisisId: 'other-crisis' }))).entryId;
    const res = await link(a, other, 'causes');
    expect([res.status, res.body.errors[0].message]).toEqual([400, expect.stringContaining('two crises')]);
  });

  it('filters the timeline by linked entry, now and as of a position, and forgets a withdrawn link', async () => {
    const linkAb = (await t.get(`/v1/entries/${a}?minPosition=${last}`)).body.links.find(
      (l: any) => l.entryId === b,
    ).linkId as string;
    const beforeUnlink = last;
    expect(await linkedTo(b)).toEqual([a, c].sort());
    const unlink = await t.post('/v1/events', {
      type: 'EntryUnlinked',
      data: { crisisId: CRISIS, linkId: linkAb, reason: 'the report was wrong about the order' },
    });
    expect(unlink.status).toBe(201);
    last = unlink.body.position;
    expect(await linkedTo(b)).toEqual([c]);
    expect(
      (await t.get(`/v1/entries/${a}?minPosition=${last}`)).body.links.map((l: any) => l.entryId),
    ).toEqual([c]);
    expect(await linkedTo(b, `&atPosition=${beforeUnlink}`)).toEqual([a, c].sort());
    const again = await t.post('/v1/events', {
      type: 'EntryUnlinked',
      data: { crisisId: CRISIS, linkId: linkAb, reason: 'twice' },
    });
    expect(again.body.code).toBe('unknown_reference');
  });

  it('links an entry of a batch to one an earlier item starts, by "@ref"', async () => {
    const res = await t.post('/v1/events/batch', {
      items: [
        { ref: 'ann', type: 'StatementMade', data: reportBase(7, { summary: 'deployment announced' }) },
        { ref: 'act', type: 'StatementMade', data: reportBase(8, { summary: 'troops seen arriving' }) },
        {
          type: 'EntryLinked',
          data: { fromEntryId: '@ann', toEntryId: '@act', relation: 'announces', sourceId: 'reuters' },
        },
      ],
    });
    expect(res.body).toMatchObject({ stored: 3, failed: 0 });
    last = res.body.items[2].position;
    expect(await linkedTo(res.body.items[1].entryId)).toEqual([res.body.items[0].entryId]);
  });
});
