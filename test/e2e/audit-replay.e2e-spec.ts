import { sampleEntryId } from '../../src/chronology/sample/sample-loader';
import { runCli } from '../../src/cli/chronology';
import { ADMIN_KEY, TestApp } from './harness';

/** The state itself, without where and when it was read. */
const withoutPosition = (body: any): any => {
  const { position: _position, asOf: _asOf, ...rest } = body;
  return rest;
};

describe('replaying history: rebuilds, as-of reads and a correction to the sample', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  const withdrawal = sampleEntryId('putin-withdrawal-claim');
  const original = 'President Vladimir Putin claimed on Tuesday';
  const captured: Array<{ position: string; timeline: any; russia: any; entry: any }> = [];
  let beforeCorrection = '';
  let correction: any;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    const capture = async (position: string): Promise<void> => {
      const timeline = (await t.get(`/v1/timeline?limit=200&minPosition=${position}`)).body;
      const russia = (await t.get(`/v1/actors/russia?includeMembers=true&minPosition=${position}`)).body;
      const entry = (await t.get(`/v1/entries/${withdrawal}?minPosition=${position}`)).body;
      captured.push({ position, timeline, russia, entry });
    };
    await capture((await t.head())!);
    beforeCorrection = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    correction = await t.append('EntryCorrected', {
      entryId: withdrawal,
      changes: {
        summary: 'Putin said on Tuesday that some forces were pulling back after drills (corrected wording).',
      },
      reason: 'ITV wording clarified in the follow-up article',
    });
    await capture(correction.position);
    const dispute = await t.append('EntryDisputed', {
      entryId: sampleEntryId('miroshnik-ukraine-shelled'),
      byActorId: 'nato',
      reason: 'no independent confirmation',
    });
    await capture(dispute.position);
  });
  afterAll(() => t.close());

  it('as-of a position equals the live state captured at that position', async () => {
    for (const c of captured) {
      const timeline = (await t.get(`/v1/timeline?limit=200&atPosition=${c.position}`)).body;
      expect(timeline.items).toEqual(c.timeline.items);
      const russia = (await t.get(`/v1/actors/russia?includeMembers=true&atPosition=${c.position}`)).body;
      expect(withoutPosition(russia)).toEqual(withoutPosition(c.russia));
      const entry = (await t.get(`/v1/entries/${withdrawal}?atPosition=${c.position}`)).body;
      expect(withoutPosition(entry)).toEqual(withoutPosition(c.entry));
    }
  });

  it('shows the original before the correction, the corrected entry after, and both in the history', async () => {
    const then = (await t.get(`/v1/entries/${withdrawal}?asOf=${encodeURIComponent(beforeCorrection)}`)).body;
    expect(then.summary).toContain(original);
    const now = (await t.get(`/v1/entries/${withdrawal}`)).body;
    expect(now.summary).toMatch(/^Putin said on Tuesday that some forces were pulling back/);
    const corrected = now.history.find((h: any) => h.type === 'EntryCorrected');
    expect(corrected).toMatchObject({
      principal: expect.stringMatching(/^key:/),
      position: correction.position,
    });
    expect(Date.parse(corrected.recordedAt)).toBeGreaterThan(Date.parse(beforeCorrection));
    expect(now.history[0]).toMatchObject({ type: 'TroopWithdrawalClaimed', principal: 'system:sample' });
  });

  it('chronology replay --until prints the timeline as it stood then', async () => {
    const replay = async (until: string): Promise<string> => {
      let out = '';
      const io = { out: (s: string) => (out += s), err: (s: string) => (out += s) };
      const code = await runCli(['replay', '--until', until, '--url', t.url, '--api-key', ADMIN_KEY], io);
      if (code !== 0) throw new Error(out);
      return out;
    };
    const before = await replay(captured[0]!.position);
    expect(before).toContain(
      `timeline until ${captured[0]!.position}: ${captured[0]!.timeline.items.length} entries`,
    );
    expect(before).toContain(original.slice(0, 60));
    expect(await replay(new Date().toISOString())).toContain('Putin said on Tuesday that some forces');
  });

  it('rebuilds every projection into a shadow copy with identical digests, twice', async () => {
    const names = ((await t.get('/v1/admin/projections')).body.items as any[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['timeline', 'actors', 'sources', 'audit', 'log']));
    for (const name of names) {
      const first = await t.post(`/v1/admin/projections/${name}/rebuild`, {});
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ name, identical: true });
      expect(first.body.events).toBeGreaterThan(60);
      const second = await t.post(`/v1/admin/projections/${name}/rebuild`, {});
      expect(second.body.after).toBe(first.body.after);
    }
    // The swapped-in copies keep following the log and serving reads.
    const later = await t.append('ActorRegistered', {
      actorId: 'after-rebuild',
      name: 'After Rebuild',
      kind: 'state',
    });
    const actor = await t.get(`/v1/actors/after-rebuild?minPosition=${later.position}`);
    expect(actor.status).toBe(200);
    expect((await t.get('/v1/audit/verify')).body.ok).toBe(true);
  });

  it('refuses to rebuild an unknown projection, naming the known ones', async () => {
    const res = await t.post('/v1/admin/projections/nope/rebuild', {});
    expect(res.status).toBe(404);
    expect(res.body.detail).toContain('timeline');
  });
});
