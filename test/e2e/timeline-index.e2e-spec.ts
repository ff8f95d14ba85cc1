import { TimelineReader } from '../../src/projections/timeline/timeline.reader';
import type { AsOfStart } from '../../src/projections/timeline/timeline.asof-plan';
import type { TimelineQueryDto } from '../../src/projections/timeline/timeline-query.dto';
import { TestApp } from './harness';

/**
 * The current timeline and actor views are read from the key index and counters the projection
 * maintains; a read "as of" the last position is computed from the versioned rows instead. The two
 * must agree, filter by filter and page by page, also after the hierarchy changed under entries
 * that already existed and after corrections moved entries in time and between actors.
 */
describe('the key index agrees with the versioned rows', () => {
  let t: TestApp;
  let head = '';

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    const all = (await t.get(`/v1/timeline?limit=200&minPosition=1`)).body.items as any[];
    // Re-parent an actor with entries: Zakharova's ministry now also answers to NATO (a member).
    await t.append('ActorDetailsChanged', { actorId: 'russia-mfa', memberOf: ['nato'] });
    // Move one of Russia's claims in time and give it to another actor.
    const claim = all.find((i) => i.claimants.some((c: any) => c.actorId === 'vladimir-putin'));
    await t.append('EntryCorrected', {
      entryId: claim.entryId,
      changes: {
        occurred: { start: '2022-01-03T10:00', end: '2022-03-20T10:00', timezone: 'Europe/Moscow' },
        actors: [{ actorId: 'maria-zakharova', role: 'claimant' }],
      },
      reason: 'wrong date and speaker in the first report',
    });
    // Then a new actor below NATO, and the ministry moved back out.
    await t.append('ActorDetailsChanged', { actorId: 'russia-mfa', memberOf: [] });
    // Ukraine in NATO for three days only: its entries of those days roll up, no others.
    await t.append('ActorRelationStated', {
      actorId: 'ukraine',
      relation: 'member-of',
      toActorId: 'nato',
      validFrom: '2022-02-15',
      validTo: '2022-02-18',
    });
    head = (await t.head())!;
  }, 60_000);
  afterAll(() => t.close());

  /** Every item of a timeline query, page by page (small pages, so that cursors are exercised). */
  async function everyPage(query: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/timeline?${query}&limit=3&minPosition=${head}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      items.push(...(res.body.items as unknown[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return items;
  }

  const filters = [
    '',
    'actor=russia',
    'actor=russia&includeMembers=true',
    'actor=nato&includeMembers=true',
    'actor=nato&includeMembers=true&from=2022-02-16&to=2022-02-20',
    'actor=maria-zakharova',
    'actor=united-states&includeMembers=true&from=2022-02-10&to=2022-02-20',
    'from=2022-02-15&to=2022-02-16',
    'from=2022-03-01',
    'to=2022-02-14',
    'type=StatementMade,DenialIssued',
    'status=disputed,corroborated',
    'crisis=russia-ukraine-2022',
    'minReliability=B',
    'minReliability=C&actor=russia&includeMembers=true',
    'type=TroopBuildupReported&status=reported&from=2022-02-01',
    'q=troops',
    'disputed=*',
    'country=UA,RU',
    'country=UA&actor=ukraine&includeMembers=true',
    'disputed=*,occurred&actor=russia&includeMembers=true',
  ];

  it.each(filters)('timeline?%s: the same entries, current and as of the last position', async (filter) => {
    const current = await everyPage(filter);
    const asOf = await everyPage(`${filter}&atPosition=${head}`);
    expect(current).toEqual(asOf);
  });

  it.each(['russia', 'nato', 'maria-zakharova', 'united-states', 'ukraine'])(
    'actors/%s: the same view from counters and from the versioned rows, with and without members',
    async (actor) => {
      for (const members of [false, true]) {
        const q = `includeMembers=${members}&limit=500&minPosition=${head}`;
        const current = (await t.get(`/v1/actors/${actor}?${q}`)).body;
        const asOf = (await t.get(`/v1/actors/${actor}?${q}&atPosition=${head}`)).body;
        delete current.position;
        delete asOf.position;
        delete asOf.asOf;
        expect(current).toEqual(asOf);
      }
    },
  );

  it('the actor list counts from counters what the versioned rows count', async () => {
    const current = (await t.get(`/v1/actors?limit=500&minPosition=${head}`)).body.items;
    const asOf = (await t.get(`/v1/actors?limit=500&atPosition=${head}`)).body.items;
    expect(current).toEqual(asOf);
  });

  it('as-of pages are the same whichever index they start from (time, position, actor links)', async () => {
    const reader = t.app.get(TimelineReader);
    const planner = (reader as unknown as { asOfPlanner: { choose: (...a: unknown[]) => AsOfStart } })
      .asOfPlanner;
    const choose = planner.choose.bind(planner);
    const queries: Array<Partial<TimelineQueryDto>> = [
      {},
      { actor: 'russia' },
      { actor: 'russia', includeMembers: true },
      { actor: 'united-states', includeMembers: true, from: '2022-02-10', to: '2022-02-20' },
      { type: ['StatementMade', 'DenialIssued'] },
      { status: ['disputed'], crisis: 'russia-ukraine-2022' },
    ];
    const last = Number(head);
    try {
      for (const seq of [5, 25, 40, 55, last]) {
        for (const query of queries) {
          const answers: Record<string, string[]> = {};
          const starts: AsOfStart[] = query.actor ? ['time', 'position', 'actor'] : ['time', 'position'];
          for (const start of starts) {
            planner.choose = () => start;
            const ids: string[] = [];
            let cursor: string | undefined;
            do {
              const page = await reader.page(
                { ...query, limit: 3, cursor },
                {
                  kind: 'seq',
                  seq,
                },
              );
              ids.push(...page.items.map((i) => i.entryId));
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
            answers[start] = ids;
          }
          for (const start of starts)
            expect({ seq, query, start, ids: answers[start] }).toEqual({
              seq,
              query,
              start,
              ids: answers.time,
            });
          if (seq === last) expect(answers.time!.length).toBeGreaterThan(0);
        }
      }
    } finally {
      planner.choose = choose;
    }
  });
});
