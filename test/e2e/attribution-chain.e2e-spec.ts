import { join } from 'node:path';
import { timelineFilter } from '../../src/projections/timeline/timeline.filter';
import { CurrentPagePlanner } from '../../src/projections/timeline/timeline.plan';
import { openSqlite } from '../../src/shared/sqlite';
import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** "An unnamed official, quoted by a news agency, carried by an outlet": each hop typed and graded. */
describe('attribution chains (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
  });
  afterAll(() => t.close());

  const post = (chain: unknown[], sourceId = 'itv-news') =>
    t.post('/v1/events', {
      type: 'StatementMade',
      data: reportBase(15, { attribution: { sourceId, chain } }),
    });

  it('keeps each hop with its hedge and anonymity, names the registered ones, and grades the chain by its weakest link', async () => {
    const res = await post([
      { description: 'an unnamed Western official', anonymous: true, hedge: 'claimed' },
      { sourceId: 'reuters', hedge: 'reported' },
    ]);
    expect(res.status).toBe(201);
    const entry = (await t.get(`/v1/entries/${res.body.entryId}?minPosition=${res.body.position}`)).body;
    expect(entry.attribution.chain).toEqual([
      { description: 'an unnamed Western official', anonymous: true, hedge: 'claimed' },
      { sourceId: 'reuters', hedge: 'reported', name: 'Reuters' },
    ]);
    // itv-news is B and reuters A, but an anonymous hop cannot be judged: the chain is F.
    expect(entry.grade).toMatchObject({ reliability: 'B', chain: { reliability: 'F', code: 'F6' } });

    const named = await post([{ sourceId: 'ukraine-mod', hedge: 'stated' }], 'reuters');
    const second = (await t.get(`/v1/entries/${named.body.entryId}?minPosition=${named.body.position}`)).body;
    expect(second.grade).toMatchObject({ reliability: 'A', chain: { reliability: 'D', code: 'D6' } });
    const actorHop = await post([{ actorId: 'ukraine', hedge: 'stated' }], 'reuters');
    const third = (await t.get(`/v1/entries/${actorHop.body.entryId}?minPosition=${actorHop.body.position}`))
      .body;
    expect(third.attribution.chain[0]).toMatchObject({ actorId: 'ukraine', name: 'Ukraine' });
    expect(third.grade.chain).toEqual({ reliability: 'A', code: 'A6' });
  });

  it('refuses a hop that is both or neither, an unknown hop, and an anonymous hop with an id', async () => {
    const head = await t.head();
    for (const [chain, path, status] of [
      [[{ sourceId: 'reuters', actorId: 'ukraine' }], 'data.attribution.chain.0', 400],
      [[{ hedge: 'claimed' }], 'data.attribution.chain.0', 400],
      [[{ sourceId: 'reuters', anonymous: true }], 'data.attribution.chain.0.anonymous', 400],
      [[{ sourceId: 'nobody-news' }], 'data.attribution.chain.0.sourceId', 422],
    ] as const) {
      const res = await post([...chain]);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.body.errors.map((e: any) => e.path)).toContain(path);
    }
    expect(await t.head()).toBe(head);
  });

  it("filters by minimum reliability on the chain's grade when there is a chain, now and as of a position", async () => {
    const crisisId = 'chain-grades';
    await t.append('CrisisRegistered', { crisisId, name: 'Chain grades' });
    await t.append('SourceRegistered', { sourceId: 'kyiv-post', name: 'Kyiv Post', kind: 'outlet' });
    const entries: Record<string, string> = {};
    const report = async (name: string, sourceId: string, chain?: unknown[]) => {
      const res = await t.post('/v1/events', {
        type: 'StatementMade',
        data: reportBase(16, {
          crisisId,
          summary: `chained ${name}`,
          attribution: { sourceId, ...(chain ? { chain } : {}) },
        }),
      });
      expect(res.status).toBe(201);
      entries[res.body.entryId] = name;
      return res.body.position as string;
    };
    await report('plain A', 'reuters');
    await report('A via D', 'reuters', [{ sourceId: 'ukraine-mod', hedge: 'stated' }]);
    await report('B via anonymous', 'itv-news', [{ description: 'an official', anonymous: true }]);
    await report('A via an actor', 'reuters', [{ actorId: 'ukraine', hedge: 'stated' }]);
    await report('plain ungraded', 'kyiv-post');
    await report('ungraded via A', 'kyiv-post', [{ sourceId: 'reuters' }]);
    const before = await report('A via B', 'reuters', [{ sourceId: 'itv-news' }]);
    const names = async (query: string) => {
      const res = await t.get(`/v1/timeline?crisis=${crisisId}&limit=50&${query}`);
      expect(res.status).toBe(200);
      return (res.body.items as Array<{ entryId: string }>).map((i) => entries[i.entryId]).sort();
    };

    // The carrying source's grade would keep 'A via D' at A; the chain's weakest link (D) does not.
    expect(await names(`minReliability=A&minPosition=${before}`)).toEqual(['A via an actor', 'plain A']);
    expect(await names('minReliability=B')).toEqual(['A via B', 'A via an actor', 'plain A']);
    expect(await names('minReliability=D')).toEqual(['A via B', 'A via D', 'A via an actor', 'plain A']);
    // At F every chain passes (an ungraded or anonymous link is F); an ungraded source alone has no grade.
    expect(await names('minReliability=F')).toEqual([
      'A via B',
      'A via D',
      'A via an actor',
      'B via anonymous',
      'plain A',
      'ungraded via A',
    ]);
    // A search takes the same rule (its page starts from the matches, not the key index).
    expect(await names('minReliability=A&q=chained')).toEqual(['A via an actor', 'plain A']);

    // The hop's grade is read when the timeline is: regraded, the chain's grade follows, and a read
    // as of a position before the regrade sees the grade of then.
    const regraded = await t.append('SourceGraded', {
      sourceId: 'ukraine-mod',
      reliability: 'B',
      rationale: 'checked since',
    });
    expect(await names(`minReliability=B&minPosition=${regraded.position}`)).toEqual([
      'A via B',
      'A via D',
      'A via an actor',
      'plain A',
    ]);
    expect(await names(`minReliability=B&atPosition=${before}`)).toEqual([
      'A via B',
      'A via an actor',
      'plain A',
    ]);
    expect(await names(`minReliability=B&atPosition=${regraded.position}`)).toEqual([
      'A via B',
      'A via D',
      'A via an actor',
      'plain A',
    ]);
    expect(await names(`minReliability=F&atPosition=${before}`)).toHaveLength(6);
  });

  it("reads a graded page from the key index, the chain's hops checked by key lookups", () => {
    const db = openSqlite(join(t.dataDir, 'read-models.db'), { readonly: true, synchronous: 'NORMAL' });
    try {
      const planner = new CurrentPagePlanner(db);
      for (const minReliability of ['B', 'F']) {
        const f = timelineFilter({ minReliability, crisis: 'chain-grades' }, (id) => ({
          ids: [id],
          periods: [],
        }));
        if (f === 'nothing') throw new Error('a filter');
        const { sql, params } = planner.plan(f, null, 51);
        // The chain keys are in the statement: hops graded too low below F, 'has a chain' at F.
        expect(sql.includes("'chain'") || params.includes('chain')).toBe(true);
        const plan = db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...params)
          .map((p) => p.detail);
        expect({ minReliability, scans: plan.filter((d) => /^SCAN (k|o|timeline_)/.test(d)) }).toEqual({
          minReliability,
          scans: [],
        });
        expect(plan.some((d) => d.startsWith('SEARCH o USING PRIMARY KEY'))).toBe(true);
      }
    } finally {
      db.close();
    }
  });
});
