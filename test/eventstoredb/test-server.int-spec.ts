import { randomUUID } from 'node:crypto';
import {
  DeadlineExceededError,
  KurrentDBClient,
  MaxAppendSizeExceededError,
  NotLeaderError,
  UnknownError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendResult,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { EventStoreUnavailable } from '../../src/event-store/event-store.errors';
import type { SubscriptionItem } from '../../src/event-store/event-store.port';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { readStreamEvents } from '../../src/event-store/eventstoredb/eventstoredb-grpc-read';
import { testEvent } from '../../src/event-store/testing/event-store.contract';
import { EventStoreDbTestServer, type TestServerOptions } from './eventstoredb-test-server';

/**
 * The test server behaves as a real node where the adapter can be caught out (docs/eventstoredb.md,
 * "The test server"), checked through the real client (@kurrent/kurrentdb-client) over gRPC on both
 * append paths. Reads take the adapter's path (eventstoredb-grpc-read.ts: the client's grpc-js
 * channel with a deadline), never the client's readStream, which goes through its native bridge.
 */
const PATHS: Array<[string, TestServerOptions]> = [
  ['BatchAppend', {}],
  ['Append', { batchAppend: false }],
];

const read = (client: KurrentDBClient, stream: string, deadlineMs = 5_000): Promise<ResolvedEvent[]> =>
  readStreamEvents(client, stream, {}, deadlineMs);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const event = (id: string = randomUUID(), data: Record<string, unknown> = {}) =>
  jsonEvent({ id, type: 'Tested', data });

describe.each(PATHS)('the test server as a real node (%s)', (_name, pathOptions) => {
  let server: EventStoreDbTestServer;
  let client: KurrentDBClient;

  const start = async (options: TestServerOptions = {}): Promise<void> => {
    server = await EventStoreDbTestServer.start({ ...pathOptions, ...options });
    client = KurrentDBClient.connectionString(server.connectionString);
  };
  afterEach(async () => {
    await client.dispose();
    await server.stop();
  });

  it('returns event ids in lower case and dedupes them whatever case they were sent in', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    const id = randomUUID().toUpperCase();
    await client.appendToStream(s, event(id), { streamState: 'no_stream' });
    // A retry at the same expected revision, the id in lower case: the same event to the node.
    await client.appendToStream(s, event(id.toLowerCase()), { streamState: 'no_stream' });
    expect((await read(client, s)).map((e) => e.event!.id)).toEqual([id.toLowerCase()]);
  });

  it('gives every event of an append its own commit position', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    await client.appendToStream(s, [event(), event(), event()]);
    const positions = (await read(client, s)).map((e) => e.event!.position!);
    expect(positions.every((p) => p.commit === p.prepare)).toBe(true);
    expect(new Set(positions.map((p) => p.commit)).size).toBe(3);
  });

  it('dedupes an exact expected revision against the stream, however old the events are', async () => {
    await start({ recentIds: 1 });
    const s = `s-${randomUUID()}`;
    const [a, b] = [event(), event()];
    await client.appendToStream(s, [a, b], { streamState: 'no_stream' });
    await client.appendToStream(s, event(), { streamState: 1n }); // the repeat is not the last append
    await client.appendToStream(`other-${randomUUID()}`, [event(), event()]); // a and b leave the cache
    const repeat: AppendResult = await client.appendToStream(s, [a, b], { streamState: 'no_stream' });
    expect(repeat.nextExpectedRevision).toBe(1n);
    expect(repeat.position).toBeUndefined(); // a node answers an idempotent write without a position
    // Same first id, another second one: not the same write.
    const e = await rejection(client.appendToStream(s, [a, event()], { streamState: 'no_stream' }));
    expect(e).toBeInstanceOf(WrongExpectedVersionError);
    expect((await read(client, s)).map((r) => r.event!.id).slice(0, 2)).toEqual([a.id, b.id]);
    expect(await read(client, s)).toHaveLength(3);
  });

  it('dedupes `any` only while the ids are in its cache of recent ids', async () => {
    await start({ recentIds: 3 });
    const s = `s-${randomUUID()}`;
    const a = event();
    await client.appendToStream(s, a);
    await client.appendToStream(s, event());
    await client.appendToStream(s, a); // still cached: deduped
    expect(await read(client, s)).toHaveLength(2);
    await client.appendToStream(`other-${randomUUID()}`, [event(), event(), event()]);
    await client.appendToStream(s, a); // evicted: a second copy
    expect((await read(client, s)).filter((r) => r.event!.id === a.id)).toHaveLength(2);
  });

  it("stamps `created` with the node's clock, which can step backwards", async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    await start({ clock: () => now });
    const s = `s-${randomUUID()}`;
    await client.appendToStream(s, event());
    now -= 90_000; // NTP steps the clock back, or a failover lands on a node that is behind
    await client.appendToStream(s, event());
    const created = (await read(client, s)).map((e) => e.event!.created.toISOString());
    expect(created).toEqual(['2026-03-01T12:00:00.000Z', '2026-03-01T11:58:30.000Z']);
  });

  it('refuses an append over 1 MiB as a real node does, storing nothing', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    const big = event(randomUUID(), { text: 'x'.repeat(1024 * 1024) });
    const e = await rejection(client.appendToStream(s, big));
    expect(e).toBeInstanceOf(MaxAppendSizeExceededError);
    expect((e as MaxAppendSizeExceededError).maxAppendSize).toBe(1024 * 1024);
    await client.appendToStream(s, event(randomUUID(), { text: 'x'.repeat(1000 * 1000) }));
    expect(await read(client, s)).toHaveLength(1);
  });

  it("answers NotLeader with the leader's address; the client moves to the leader", async () => {
    await start();
    const leader = await EventStoreDbTestServer.start({ ...pathOptions, log: server.log });
    try {
      const s = `s-${randomUUID()}`;
      server.faults.failAppends({ kind: 'not-leader', leader: { host: '127.0.0.1', port: leader.port } });
      const e = await rejection(client.appendToStream(s, event()));
      expect(e).toBeInstanceOf(NotLeaderError);
      expect((e as NotLeaderError).leader).toEqual({ address: '127.0.0.1', port: leader.port });
      expect(server.log.stream(s)).toBeUndefined();
      // Redirected: the next append reaches the leader although the follower would refuse again.
      server.faults.failAppends({ kind: 'not-leader', leader: { host: '127.0.0.1', port: leader.port } });
      await client.appendToStream(s, event());
      expect(server.log.stream(s)).toHaveLength(1);
      expect(leader.faults.served).toBe(0);
    } finally {
      await client.dispose();
      await leader.stop();
    }
  });

  it('times out a commit that may have gone through', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    server.faults.failAppends({ kind: 'commit-timeout', written: true });
    const e = await rejection(client.appendToStream(s, event()));
    if (pathOptions.batchAppend === false) {
      // Streams.Append: ABORTED without details, which the client gives as UnknownError (client
      // 6.2.1 gave TimeoutError); the adapter takes its code 10 as a commit timeout and retries.
      expect(e).toBeInstanceOf(UnknownError);
      expect((e as UnknownError).code).toBe(10);
    } else expect(e).toBeInstanceOf(DeadlineExceededError);
    expect(server.log.stream(s)).toHaveLength(1);
  });

  it("lets a write outlive the client's deadline", async () => {
    await start();
    const s = `s-${randomUUID()}`;
    server.faults.failAppends({ kind: 'deadline', written: false });
    const e = await rejection(client.appendToStream(s, event(), { deadline: 200 }));
    expect(e).toBeInstanceOf(DeadlineExceededError);
    expect(server.log.stream(s)).toBeUndefined();
  });

  it('holds a read without an answer until the deadline of the read; the node sees the call end', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    await client.appendToStream(s, event());
    server.faults.stalledReads = 1;
    const started = Date.now();
    const e = await rejection(read(client, s, 300));
    expect(e).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(server.faults.stalledReads).toBe(0);
    await waitFor(() => server.faults.endedStalledReads === 1);
    expect(await read(client, s)).toHaveLength(1); // the next read is answered
  });
});

describe('the read path of the adapter', () => {
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start();
    store = new EventStoreDbEventStore({ connectionString: server.connectionString, deadlineMs: 300 });
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  it("reads over the client's grpc-js channel, subscriptions on the client: never the native bridge", async () => {
    const s = `entry-${randomUUID()}`;
    await store.append(s, [testEvent('A')], { expectedRevision: 'no_stream' });
    expect(await store.readStream(s)).toHaveLength(1);
    expect(await store.readAll()).toHaveLength(1);
    const subscription = store.subscribeToAll({ from: 'start' });
    const items: SubscriptionItem[] = [];
    for await (const item of subscription) {
      items.push(item);
      if (item.kind === 'caught-up') break;
    }
    expect(items.map((i) => i.kind)).toEqual(['event', 'caught-up']);
    const kinds = new Set(server.wire.reads.map((r) => r.kind));
    expect(kinds).toEqual(new Set(['stream', 'all', 'subscription']));
    // grpc-js names itself; the bridge sends no user-agent.
    expect(server.wire.reads.filter((r) => !r.userAgent.startsWith('grpc-node-js/'))).toEqual([]);
  });

  it("cancels a stalled read on the node when the adapter's deadline passes", async () => {
    const s = `entry-${randomUUID()}`;
    await store.append(s, [testEvent('A')], { expectedRevision: 'no_stream' });
    server.faults.stalledReads = 1;
    const started = Date.now();
    await expect(store.readStream(s)).rejects.toBeInstanceOf(EventStoreUnavailable);
    expect(Date.now() - started).toBeLessThan(3_000);
    // The node saw the call go: nothing is left open on it (the bridge's reads would stay open).
    await waitFor(() => server.faults.endedStalledReads === 1, 2_000);
    expect(await store.readStream(s)).toHaveLength(1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
