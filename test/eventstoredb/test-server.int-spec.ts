import { randomUUID } from 'node:crypto';
import {
  DeadlineExceededError,
  EventStoreDBClient,
  MaxAppendSizeExceededError,
  NotLeaderError,
  TimeoutError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendResult,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreDbTestServer, type TestServerOptions } from './eventstoredb-test-server';

/**
 * The test server behaves as a real node where the adapter can be caught out (docs/eventstoredb.md,
 * "The test server"), checked through the real client 6.2.1 over gRPC on both append paths.
 */
const PATHS: Array<[string, TestServerOptions]> = [
  ['BatchAppend', {}],
  ['Append', { batchAppend: false }],
];

async function read(client: EventStoreDBClient, stream: string): Promise<ResolvedEvent[]> {
  const out: ResolvedEvent[] = [];
  for await (const e of client.readStream(stream)) out.push(e);
  return out;
}

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
  let client: EventStoreDBClient;

  const start = async (options: TestServerOptions = {}): Promise<void> => {
    server = await EventStoreDbTestServer.start({ ...pathOptions, ...options });
    client = EventStoreDBClient.connectionString(server.connectionString);
  };
  afterEach(async () => {
    await client.dispose();
    await server.stop();
  });

  it('returns event ids in lower case and dedupes them whatever case they were sent in', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    const id = randomUUID().toUpperCase();
    await client.appendToStream(s, event(id), { expectedRevision: 'no_stream' });
    // A retry at the same expected revision, the id in lower case: the same event to the node.
    await client.appendToStream(s, event(id.toLowerCase()), { expectedRevision: 'no_stream' });
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
    await client.appendToStream(s, [a, b], { expectedRevision: 'no_stream' });
    await client.appendToStream(s, event(), { expectedRevision: 1n }); // the repeat is not the last append
    await client.appendToStream(`other-${randomUUID()}`, [event(), event()]); // a and b leave the cache
    const repeat: AppendResult = await client.appendToStream(s, [a, b], { expectedRevision: 'no_stream' });
    expect(repeat.nextExpectedRevision).toBe(1n);
    expect(repeat.position).toBeUndefined(); // a node answers an idempotent write without a position
    // Same first id, another second one: not the same write.
    const e = await rejection(client.appendToStream(s, [a, event()], { expectedRevision: 'no_stream' }));
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
    const expected = pathOptions.batchAppend === false ? TimeoutError : DeadlineExceededError;
    expect(e).toBeInstanceOf(expected);
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

  it('holds a read without an answer until the client gives up', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    await client.appendToStream(s, event());
    server.faults.stalledReads = 1;
    const held = client.readStream(s);
    const received: unknown[] = [];
    const done = (async () => {
      for await (const e of held) received.push(e);
    })().catch((error: unknown) => error);
    await waitFor(() => server.faults.stalledReads === 0);
    await held.cancel();
    await done;
    expect(received).toEqual([]);
    expect(await read(client, s)).toHaveLength(1); // the next read is answered
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
