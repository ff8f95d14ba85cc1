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
});
