import { randomUUID } from 'node:crypto';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import { EventStoreDbTestServer } from '../../../test/eventstoredb/eventstoredb-test-server';
import { EventStoreUnavailable } from '../event-store.errors';
import type { RecordedEvent, Subscription } from '../event-store.port';
import { firstEvents, rejection, testEvent } from '../testing/event-store.contract';
import { CHECKPOINT_STREAM, CLAIM_STREAM_PREFIX } from './eventstoredb-codec';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { PORT_STREAMS_REGEX } from './eventstoredb-grpc-read';

/**
 * What goes over the wire between the adapter and a node: `$all` reads and subscriptions ask the
 * node to leave out claims and checkpoints (counted at the test server), and every call has a
 * deadline, a subscription's start included.
 */
describe('eventstoredb adapter on the wire', () => {
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;
  const subscriptions: Subscription[] = [];

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start();
    store = new EventStoreDbEventStore({
      connectionString: `${server.connectionString}&defaultDeadline=1000`,
      resubscribeDelayMs: 10,
    });
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    await store.close();
    await server.stop();
  });

  const ours = (name: string): boolean => name.startsWith(CLAIM_STREAM_PREFIX) || name === CHECKPOINT_STREAM;

  async function subscribed(count: number): Promise<RecordedEvent[]> {
    const sub = store.subscribeToAll({ from: 'start' });
    subscriptions.push(sub);
    return firstEvents(sub, count);
  }

  it('claims and checkpoints are filtered by the node: none is sent to a subscriber or a $all read', async () => {
    const s = `entry-${randomUUID()}`;
    for (let i = 0; i < 5; i++) await store.append(s, [testEvent(`E${i}`)], { expectedRevision: 'any' });
    const client = KurrentDBClient.connectionString(server.connectionString);
    try {
      await client.appendToStream(CHECKPOINT_STREAM, jsonEvent({ type: 'CheckpointSigned', data: {} }));
      // A `$`-typed event in an ordinary stream passes the stream filter: isHidden drops it.
      await client.appendToStream(s, jsonEvent({ type: '$metadata', data: {} }));
    } finally {
      await client.dispose();
    }
    await store.append(s, [testEvent('E5')], { expectedRevision: 'any' });
    expect(server.log.all.filter((r) => ours(r.stream)).length).toBe(7); // 6 claims, 1 checkpoint

    const live = await subscribed(6);
    const read = await store.readAll();
    expect(live.map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5']);
    expect(read.map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5']);
    expect(server.wire.sentFrom(ours)).toBe(0);
    expect(server.wire.sentFrom((name) => name === s)).toBeGreaterThan(0);

    const calls = server.wire.calls;
    expect(calls.some((c) => c.subscription)).toBe(true);
    expect(calls.some((c) => !c.subscription)).toBe(true);
    for (const call of calls)
      expect(call.filter).toEqual({ on: 'stream', regex: PORT_STREAMS_REGEX, prefixes: [] });
  });

  it('the filter keeps the port’s streams and leaves out system, claim and checkpoint streams', () => {
    const shown = (name: string): boolean => new RegExp(PORT_STREAMS_REGEX).test(name);
    expect(['entry-1', 'actor-russia', 'source-itv', 'crisis-x', 'keys', 'evidence-1'].every(shown)).toBe(
      true,
    );
    expect([`evid-${randomUUID()}`, CHECKPOINT_STREAM, '$stats-1', '$$entry-1'].some(shown)).toBe(false);
    expect(shown(`${CHECKPOINT_STREAM}-2`)).toBe(true); // the exact name only
  });

  it('a subscription the node does not confirm is started again after the deadline', async () => {
    server.faults.stalledSubscriptions = 1;
    const s = `entry-${randomUUID()}`;
    await store.append(s, [testEvent('A')], { expectedRevision: 'no_stream' });
    const [event] = await subscribed(1);
    expect(event!.type).toBe('A');
    expect(server.faults.stalledSubscriptions).toBe(0);
    expect(server.wire.calls.filter((c) => c.subscription).length).toBeGreaterThanOrEqual(2);
  });

  it('a $all read that gets no answer ends at its deadline with EventStoreUnavailable', async () => {
    await store.append(`entry-${randomUUID()}`, [testEvent('A')], { expectedRevision: 'no_stream' });
    server.faults.stalledReads = 1;
    const refused = await rejection(store.readAll());
    expect(refused).toBeInstanceOf(EventStoreUnavailable);
    expect(await store.readAll()).toHaveLength(1);
  });
});
