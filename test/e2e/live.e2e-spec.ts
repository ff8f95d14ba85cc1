import { EventSource } from 'eventsource';
import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { ADMIN_KEY, TestApp, metricValue } from './harness';
import { SseReader, type SseMessage } from './sse-client';

const ids = (messages: SseMessage[]) => messages.map((m) => m.id!);
const parsed = (m: SseMessage) => JSON.parse(m.data);

/** Every log position after `after` (exclusive), as the store has them. */
async function logPositions(t: TestApp, after = '0', types?: Set<string>): Promise<string[]> {
  const events = await t.store.readAll({ maxCount: 1_000_000 });
  return events
    .filter((e) => BigInt(e.position.commit) > BigInt(after) && (!types || types.has(e.type)))
    .map((e) => e.position.commit.toString());
}

describe('live feeds (Server-Sent Events)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ LIVE_HEARTBEAT_MS: '200' });
    for (const e of REGISTRY) await t.append(e.type, e.data);
  });
  afterAll(() => t.close());

  it('from now: only new items, each with id = its log position, entry.added then entry.updated', async () => {
    const before = await t.append('StatementMade', reportBase(1, { summary: 'before subscribing' }));
    await t.get(`/v1/timeline?minPosition=${before.position}`);
    const feed = await SseReader.open(`${t.url}/v1/timeline/live`);
    expect(feed.status).toBe(200);
    const added = await t.append('StatementMade', reportBase(2, { summary: 'after subscribing' }));
    const followed = await t.append('EntryCorroborated', { entryId: added.entryId, sourceId: 'reuters' });
    await feed.waitFor((m) => m.length >= 2);
    await feed.close();
    expect(feed.retry).toBe(3000);
    expect(feed.messages.map((m) => [m.id, m.event])).toEqual([
      [added.position, 'entry.added'],
      [followed.position, 'entry.updated'],
    ]);
    expect(parsed(feed.messages[0]!)).toMatchObject({
      entryId: added.entryId,
      summary: 'after subscribing',
      status: 'reported',
      source: { name: 'ITV News' },
    });
    expect(parsed(feed.messages[1]!)).toMatchObject({
      entryId: added.entryId,
      status: 'corroborated',
      corroborations: 1,
    });
  });

  it('sends heartbeat comments while idle, on a stream that ends only with its connection', async () => {
    const feed = await SseReader.open(`${t.url}/v1/events/live`);
    await new Promise((r) => setTimeout(r, 700));
    await feed.close();
    expect(feed.comments.filter((c) => c === 'heartbeat').length).toBeGreaterThanOrEqual(2);
    expect(feed.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    // No chunked framing (cheaper writes); the connection is not reused after the stream.
    expect(feed.headers.get('transfer-encoding')).toBeNull();
    expect(feed.headers.get('connection')).toBe('close');
  });

  it('resumes with Last-Event-ID or ?after= across disconnects at random points: no gap, no duplicate', async () => {
    const start = (await t.get('/health')).body.projections.position as string;
    const received: SseMessage[] = [];
    const writer = (async () => {
      for (let i = 0; i < 60; i++) {
        const r = await t.append('StatementMade', reportBase(1 + (i % 28), { summary: `burst ${i}` }));
        if (i % 10 === 3) await t.append('EntryCorroborated', { entryId: r.entryId, sourceId: 'reuters' });
      }
    })();
    let last = start;
    let reconnects = 0;
    let writing = true;
    void writer.then(() => (writing = false));
    while (writing || reconnects < 3) {
      const useHeader = reconnects % 2 === 0;
      const feed = await SseReader.open(
        `${t.url}/v1/events/live${useHeader ? '' : `?after=${last}`}`,
        useHeader ? { lastEventId: last } : {},
      );
      const want = 1 + Math.floor(Math.random() * 15);
      await feed.waitFor((m) => m.length >= want || !writing, 5000).catch(() => undefined);
      await feed.close();
      received.push(...feed.messages);
      last = feed.lastEventId ?? last;
      reconnects++;
    }
    await writer;
    const final = await SseReader.open(`${t.url}/v1/events/live`, { lastEventId: last });
    const expected = await logPositions(t, start);
    await final.waitFor((m) => received.length + m.length >= expected.length, 10_000).catch(() => undefined);
    await final.close();
    received.push(...final.messages);
    expect(reconnects).toBeGreaterThanOrEqual(3);
    expect(ids(received)).toEqual(expected);
    expect(received.every((m) => m.event === 'event.appended')).toBe(true);
  });

  it('a timeline feed resumed by position sends exactly the entry changes after it', async () => {
    const start = (await t.get('/health')).body.projections.position as string;
    const a = await t.append('StatementMade', reportBase(3, { summary: 'a' }));
    const feed1 = await SseReader.open(`${t.url}/v1/timeline/live`, { lastEventId: start });
    await feed1.waitFor((m) => m.length >= 1);
    await feed1.close();
    const b = await t.append('StatementMade', reportBase(4, { summary: 'b' }));
    await t.append('ActorAliasAdded', { actorId: 'russia', alias: 'Russian Federation' }); // not a timeline change
    const c = await t.append('EntryDisputed', { entryId: a.entryId, byActorId: 'russia', reason: 'denied' });
    const feed2 = await SseReader.open(`${t.url}/v1/timeline/live?after=${feed1.lastEventId}`);
    await feed2.waitFor((m) => m.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    await feed2.close();
    expect([...ids(feed1.messages), ...ids(feed2.messages)]).toEqual([a.position, b.position, c.position]);
    expect(parsed(feed2.messages[1]!)).toMatchObject({ entryId: a.entryId, status: 'disputed' });
  });

  it('filters: a subscriber to actor=russia receives only entries involving Russia (members on request)', async () => {
    const russia = await SseReader.open(`${t.url}/v1/timeline/live?actor=russia`);
    const viaMembers = await SseReader.open(`${t.url}/v1/actors/russia/live?includeMembers=true`);
    const shelling = await t.append(
      'ShellingAlleged',
      reportBase(5, {
        actors: [
          { actorId: 'separatists', role: 'agent' },
          { actorId: 'ukraine', role: 'claimant' },
        ],
        attribution: { sourceId: 'ukraine-mod' },
      }),
    );
    const expelled = await t.append(
      'DiplomatExpelled',
      reportBase(6, {
        diplomat: { name: 'Bart Gorman', title: 'deputy chief of mission' },
        expellingActorId: 'russia',
        sendingActorId: 'united-states',
      }),
    );
    const denial = await t.append(
      'DenialIssued',
      reportBase(7, { denies: 'invasion plans', actors: [{ actorId: 'maria-zakharova', role: 'claimant' }] }),
    );
    const marker = await t.append('StatementMade', reportBase(8, { summary: 'marker' }));
    await russia.waitFor((m) => m.some((x) => x.id === marker.position));
    await viaMembers.waitFor((m) => m.some((x) => x.id === marker.position));
    await russia.close();
    await viaMembers.close();
    expect(ids(russia.messages)).toEqual([expelled.position, marker.position]);
    expect(ids(viaMembers.messages)).toEqual([expelled.position, denial.position, marker.position]);
    expect(ids(russia.messages)).not.toContain(shelling.position);
    expect(
      russia.messages.every((m) => parsed(m).actors.some((a: { actorId: string }) => a.actorId === 'russia')),
    ).toBe(true);
  });

  it('an entry feed follows one entry; a counter-claim shows up with the related row', async () => {
    const claim = await t.append(
      'TroopWithdrawalClaimed',
      reportBase(9, { actors: [{ actorId: 'russia', role: 'claimant' }] }),
    );
    const counter = await t.append(
      'StatementMade',
      reportBase(9, { summary: 'no withdrawal seen', actors: [{ actorId: 'nato', role: 'claimant' }] }),
    );
    const feed = await SseReader.open(`${t.url}/v1/entries/${claim.entryId}/live`, {
      lastEventId: claim.position,
    });
    const all = await SseReader.open(`${t.url}/v1/timeline/live`, { lastEventId: counter.position });
    const disputed = await t.append('EntryDisputed', {
      entryId: claim.entryId,
      byActorId: 'nato',
      counterEntryId: counter.entryId,
      reason: 'contradicted',
    });
    await feed.waitFor((m) => m.length >= 1);
    await all.waitFor((m) => m.length >= 1);
    await feed.close();
    await all.close();
    expect(ids(feed.messages)).toEqual([disputed.position]);
    const row = parsed(feed.messages[0]!);
    expect(row).toMatchObject({
      entryId: claim.entryId,
      status: 'disputed',
      counteredBy: [{ entryId: counter.entryId, how: 'dispute' }],
    });
    expect(row.related).toBeUndefined(); // the counter-claim is another entry: not on this entry's feed
    // On the whole timeline the one event changes both rows: one message, the counter-claim as related.
    expect(ids(all.messages)).toEqual([disputed.position]);
    expect(parsed(all.messages[0]!).related).toEqual([
      expect.objectContaining({
        entryId: counter.entryId,
        counters: [{ entryId: claim.entryId, how: 'dispute' }],
      }),
    ]);
  });

  it('shows in /metrics: open feeds, and fan-out rounds that wrote to live subscribers', async () => {
    const metric = async (name: string): Promise<number> => metricValue((await t.get('/metrics')).text, name);
    // The earlier tests' readers have all closed; the server notices each close shortly after.
    for (let i = 0; i < 100 && (await metric('chronology_live_subscribers')) > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await metric('chronology_live_subscribers')).toBe(0);
    const fanOuts = await metric('chronology_live_fanout_seconds_count');
    const feed = await SseReader.open(`${t.url}/v1/events/live`);
    expect(await metric('chronology_live_subscribers')).toBe(1);
    const added = await t.append('StatementMade', reportBase(9, { summary: 'counted' }));
    await feed.waitFor((m) => m.some((x) => x.id === added.position));
    await feed.close();
    expect(await metric('chronology_live_fanout_seconds_count')).toBeGreaterThan(fanOuts);
    expect(await metric('chronology_live_fanout_seconds_sum')).toBeGreaterThan(0);
  });

  it('rejects a malformed resume position with 400 before streaming', async () => {
    const res = await t.get('/v1/events/live?after=not-a-position');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});

describe('live feed heartbeats', () => {
  it('go only to streams that carry nothing: one that receives messages gets none', async () => {
    const t = await TestApp.start({ LIVE_HEARTBEAT_MS: '1000' });
    try {
      for (const e of REGISTRY) await t.append(e.type, e.data);
      const quiet = await t.append('StatementMade', reportBase(1, { summary: 'an entry nobody touches' }));
      const busy = await SseReader.open(`${t.url}/v1/events/live`);
      const idle = await SseReader.open(`${t.url}/v1/entries/${quiet.entryId}/live`);
      const until = Date.now() + 2600;
      let posted = 0;
      while (Date.now() < until) {
        await t.append('StatementMade', reportBase(2, { summary: `busy ${posted++}` }));
      }
      await busy.waitFor((m) => m.length >= posted);
      await busy.close();
      await idle.close();
      expect(busy.messages.length).toBe(posted);
      expect(busy.comments.filter((c) => c === 'heartbeat')).toEqual([]);
      // Idle for 2.6 s with a 1 s interval: it still gets its heartbeats.
      expect(idle.messages).toEqual([]);
      expect(idle.comments.filter((c) => c === 'heartbeat').length).toBeGreaterThanOrEqual(2);
    } finally {
      await t.close();
    }
  });
});

describe('live feeds across a server restart', () => {
  it('the ids received equal the log positions exactly (eventsource client reconnecting by itself)', async () => {
    let t = await TestApp.start({ LIVE_RETRY_MS: '100' });
    for (const e of REGISTRY) await t.append(e.type, e.data);
    const start = (await t.get('/health')).body.projections.position as string;
    const url = `${t.url}/v1/events/live?after=${start}`;
    const got: string[] = [];
    const source = new EventSource(url, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${ADMIN_KEY}` } }),
    });
    source.addEventListener('event.appended', (e) => got.push(e.lastEventId));
    try {
      for (let i = 0; i < 10; i++)
        await t.append('StatementMade', reportBase(10, { summary: `before restart ${i}` }));
      await waitUntil(() => got.length >= 10);
      t = await t.restart({}, { samePort: true });
      for (let i = 0; i < 10; i++)
        await t.append('StatementMade', reportBase(11, { summary: `after restart ${i}` }));
      const expected = await logPositions(t, start);
      await waitUntil(() => got.length >= expected.length);
      await new Promise((r) => setTimeout(r, 200));
      expect(got).toEqual(expected);
    } finally {
      source.close();
      await t.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
