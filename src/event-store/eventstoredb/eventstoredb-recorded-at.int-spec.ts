import { randomUUID } from 'node:crypto';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import {
  EventStoreDbTestServer,
  type TestServerOptions,
} from '../../../test/eventstoredb/eventstoredb-test-server';
import type { RecordedEvent, Subscription } from '../event-store.port';
import { formatPosition } from '../position';
import { firstEvents, testEvent } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * recordedAt on EventStoreDB is a function of `$all` order (eventstoredb-recorded-at.ts): never
 * earlier than the event before it, the same on every instance and in stream reads, subscriptions
 * and `$all` reads, whatever the clocks of the node and of the instances do.
 */
const T0 = Date.parse('2026-03-01T12:00:00Z');
const BEHIND = 90_000;

const NODES: Array<[string, TestServerOptions]> = [
  ['claim, then events', {}],
  ['append sessions', { appendSession: true }],
];

describe.each(NODES)('eventstoredb recordedAt along $all (%s)', (_node, nodeOptions) => {
  let server: EventStoreDbTestServer;
  let nodeNow: number;
  let aNow: number;
  let a: EventStoreDbEventStore;
  let b: EventStoreDbEventStore;
  const subscriptions: Subscription[] = [];
  const stores: EventStoreDbEventStore[] = [];
  /** An instance that has read nothing yet (no transaction time known to it). */
  const fresh = (clock?: () => number): EventStoreDbEventStore => {
    const store = new EventStoreDbEventStore({ connectionString: server.connectionString, clock });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    nodeNow = T0;
    aNow = T0;
    server = await EventStoreDbTestServer.start({ ...nodeOptions, clock: () => nodeNow });
    // Instance b's clock is 90 s behind instance a's, as after a failover to a host that is behind.
    a = fresh(() => aNow);
    b = fresh(() => T0 - BEHIND);
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await server.stop();
  });

  const times = (events: readonly RecordedEvent[]): Array<[string, string]> =>
    events.map((e) => [e.id, e.metadata.recordedAt]);

  /** Events a subscription delivers until it has `count`. */
  async function subscribed(
    store: EventStoreDbEventStore,
    count: number,
    from: Parameters<EventStoreDbEventStore['subscribeToAll']>[0]['from'] = 'start',
  ): Promise<RecordedEvent[]> {
    const sub = store.subscribeToAll({ from });
    subscriptions.push(sub);
    return firstEvents(sub, count);
  }

  /** What an as-of read at `instant` shows: the log up to the last event recorded by then. */
  const asOf = (log: readonly RecordedEvent[], instant: number): string[] => {
    const last = log.map((e) => Date.parse(e.metadata.recordedAt) <= instant).lastIndexOf(true);
    return log.slice(0, last + 1).map((e) => e.id);
  };

  it('a write that started before an earlier-committed one, on a clock behind, is not recorded earlier', async () => {
    const [s0, s1, s2] = [`entry-${randomUUID()}`, `entry-${randomUUID()}`, `entry-${randomUUID()}`];
    const [e0, e1, e2] = [testEvent('Zeroth'), testEvent('First'), testEvent('Second')];
    aNow = T0 - 300_000;
    await a.append(s0, [e0], { expectedRevision: 'no_stream' });
    aNow = T0;
    // b stamps its write, then the node holds it while a's write commits: e2 lands after e1.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    server.faults.failAppends({ kind: 'slow-commit', until: held }, { stream: (n) => n === s2 });
    const second = b.append(s2, [e2], { expectedRevision: 'no_stream' });
    await waitFor(() => server.faults.served === 1);
    await a.append(s1, [e1], { expectedRevision: 'no_stream' });
    nodeNow -= BEHIND; // the node's clock steps back as well
    release();
    await second;

    const log = await a.readAll({ maxCount: 100 });
    expect(log.map((e) => e.id)).toEqual([e0.id, e1.id, e2.id]);
    const at = log.map((e) => Date.parse(e.metadata.recordedAt));
    expect(at).toEqual([T0 - 300_000, T0, T0]);
    // Between b's clock and e1's time: e2 was recorded after e1, so it is not shown without it.
    expect(asOf(log, T0 - BEHIND / 2)).toEqual([e0.id]);
    expect(asOf(log, T0)).toEqual([e0.id, e1.id, e2.id]);

    // The same on both instances and on ones that have read nothing, in every kind of read.
    const expected = times(log);
    expect(times(await b.readAll({ maxCount: 100 }))).toEqual(expected);
    for (const store of [a, b, fresh(), fresh()]) {
      const streams = [s0, s1, s2].map((s) => store.readStream(s));
      expect(times((await Promise.all(streams)).flat())).toEqual(expected);
    }
    for (const store of [a, b]) expect(times(await subscribed(store, 3))).toEqual(expected);
    // Started from a position, the running maximum is taken up from the events before it.
    expect(times(await subscribed(fresh(), 1, log[1]!.position))).toEqual(expected.slice(2));
    expect(times(await fresh().readAll({ fromPosition: log[2]!.position }))).toEqual(expected.slice(2));
  });

  it('events written without a stamp count with the node’s clock, and stream reads agree with $all', async () => {
    const s = `entry-${randomUUID()}`;
    const client = KurrentDBClient.connectionString(server.connectionString);
    try {
      // Written as before stamps: recordedAt was the node's `created`, which steps back here.
      await client.appendToStream(s, jsonEvent({ type: 'Legacy', data: { n: 1 } }));
      nodeNow -= BEHIND;
      await client.appendToStream(s, jsonEvent({ type: 'Legacy', data: { n: 2 } }));
    } finally {
      await client.dispose();
    }
    await b.append(s, [testEvent('Stamped')], { expectedRevision: 'any' }); // b's clock is behind too

    const log = await b.readAll();
    expect(log.map((e) => e.type)).toEqual(['Legacy', 'Legacy', 'Stamped']);
    expect(log.map((e) => Date.parse(e.metadata.recordedAt))).toEqual([T0, T0, T0]);
    expect(times(await fresh().readStream(s))).toEqual(times(log)); // nothing known: walked back
    expect(times(await fresh().readStream(s, { direction: 'backwards', maxCount: 1 }))).toEqual(
      times(log.slice(2)),
    );
    expect(times(await subscribed(a, 3))).toEqual(times(log));

    // A walk down events without a stamp is made once: the events it passed have their times.
    const once = fresh();
    const [second] = await once.readStream(s, { direction: 'backwards', fromRevision: 1n, maxCount: 1 });
    expect(second!.metadata.recordedAt).toBe(log[1]!.metadata.recordedAt);
    const allReads = (): number => server.wire.calls.filter((c) => !c.subscription).length;
    const before = allReads();
    expect(times(await once.readStream(s, { maxCount: 1 }))).toEqual(times(log.slice(0, 1)));
    expect(allReads()).toBe(before);
  });

  it('an instance whose clock is behind stamps no earlier than the last event it saw', async () => {
    const s = `entry-${randomUUID()}`;
    await a.append(s, [testEvent('A1')], { expectedRevision: 'no_stream' });
    await b.append(s, [testEvent('B1')], { expectedRevision: 0n });
    const [first, second] = await fresh().readStream(s);
    expect([first!.metadata.recordedAt, second!.metadata.recordedAt]).toEqual([
      new Date(T0).toISOString(),
      new Date(T0).toISOString(),
    ]);
  });

  it('a stamp taken after the last event a live subscription delivered still counts the events after it', async () => {
    const live = new EventStoreDbEventStore({
      connectionString: server.connectionString,
      clock: () => T0 - BEHIND,
      liveHeadMs: 60_000,
    });
    stores.push(live);
    const sub = live.subscribeToAll({ from: 'start' });
    subscriptions.push(sub);
    const items = sub[Symbol.asyncIterator]();
    expect((await items.next()).value).toMatchObject({ kind: 'caught-up' });
    const s = `entry-${randomUUID()}`;
    await a.append(s, [testEvent('A1')], { expectedRevision: 'no_stream' });
    // Delivered live: the instance now knows A1's time and stamps after it without reading $all.
    const a1 = (await items.next()).value as { kind: 'event'; event: RecordedEvent };
    expect(a1.event.type).toBe('A1');
    // A2 is written later by a clock ahead; the live instance's subscription is not pulled further.
    aNow = T0 + 5_000;
    await a.append(s, [testEvent('A2')], { expectedRevision: 0n });
    await live.append(s, [testEvent('B1')], { expectedRevision: 1n });
    const b1 = server.log.stream(s)![2]!;
    const stamp = JSON.parse(Buffer.from(b1.customMetadata).toString()) as Record<string, unknown>;
    expect(stamp.recordedAfter).toBe(formatPosition(a1.event.position));
    // B1's own stamp is T0 (A1's time), but A2 lies between: B1 is recorded no earlier than A2.
    const later = new Date(T0 + 5_000).toISOString();
    const read = await fresh().readStream(s);
    expect(read.map((e) => e.metadata.recordedAt)).toEqual([new Date(T0).toISOString(), later, later]);
    expect(times(await fresh().readAll({ maxCount: 100 }))).toEqual(times(read));
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
