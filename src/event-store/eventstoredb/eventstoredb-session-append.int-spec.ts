import { randomUUID } from 'node:crypto';
import {
  EventStoreDbTestServer,
  type TestServerOptions,
} from '../../../test/eventstoredb/eventstoredb-test-server';
import { DuplicateEvent, WrongExpectedRevision } from '../event-store.errors';
import { rejection, testEvent } from '../testing/event-store.contract';
import { CLAIM_STREAM_PREFIX } from './eventstoredb-codec';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * On KurrentDB 25.1+ an append is one multi-stream append session: the claims and the events in
 * one transaction (eventstoredb-session-append.ts). What must hold: one call to the node on the
 * happy path, claim and events stored together or not at all, and every other case (a retry, a
 * duplicate id, an answer lost) settled as on the two-append path: one copy, none lost.
 */
describe('eventstoredb appends as one session (KurrentDB 25.1+)', () => {
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;

  const start = async (options: TestServerOptions = { appendSession: true }, query = ''): Promise<void> => {
    server = await EventStoreDbTestServer.start(options);
    store = new EventStoreDbEventStore({
      connectionString: server.connectionString + query,
      retryDelayMs: 10,
    });
  };
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  const calls = (): Record<string, number> => ({
    session: server.calls.get('appendSession') ?? 0,
    v1: (server.calls.get('append') ?? 0) + (server.calls.get('batchAppend') ?? 0),
  });
  const copies = (stream: string, id: string): number =>
    (server.log.stream(stream) ?? []).filter((r) => r.id === id.toLowerCase()).length;

  it('one append is one call, with the claims and the events in one transaction', async () => {
    await start();
    const s = `entry-${randomUUID()}`;
    const [a, b] = [testEvent('A'), testEvent('B')];
    const result = await store.append(s, [a, b], { expectedRevision: 'no_stream' });
    expect(calls()).toEqual({ session: 1, v1: 0 });
    expect(result).toMatchObject({ nextExpectedRevision: 1n, idempotent: false });
    // The claims and the events are adjacent in the log: nothing was committed between them.
    const log = server.log.all;
    const at = log.findIndex((r) => r.stream === `${CLAIM_STREAM_PREFIX}${a.id}`);
    expect(log.slice(at, at + 4).map((r) => r.stream)).toEqual([
      `${CLAIM_STREAM_PREFIX}${a.id}`,
      `${CLAIM_STREAM_PREFIX}${b.id}`,
      s,
      s,
    ]);
    // The port reads them back as they were sent, positions as the log has them.
    const read = await store.readStream(s);
    expect(read.map((e) => [e.id, e.schemaVersion, e.metadata.causationId])).toEqual([
      [a.id, 1, null],
      [b.id, 1, null],
    ]);
    expect(read.map((e) => e.position)).toEqual(result.events.map((e) => e.position));
  });

  it('while a live subscription follows the log, an append reads only its own events back', async () => {
    await start();
    await store.close();
    // A window no loaded machine outlasts between the delivery and the next append.
    store = new EventStoreDbEventStore({ connectionString: server.connectionString, liveHeadMs: 60_000 });
    const s = `entry-${randomUUID()}`;
    const subscription = store.subscribeToAll({ from: 'start' });
    const delivered: string[] = [];
    const following = (async () => {
      for await (const item of subscription) if (item.kind === 'event') delivered.push(item.event.id);
    })();
    try {
      const until = async (id: string): Promise<void> => {
        for (let i = 0; i < 500 && !delivered.includes(id); i++) await new Promise((r) => setTimeout(r, 10));
        expect(delivered).toContain(id);
      };
      const first = testEvent('A');
      await store.append(s, [first], { expectedRevision: 'no_stream' });
      await until(first.id);
      const reads = server.calls.get('read') ?? 0;
      const second = testEvent('B');
      await store.append(s, [second], { expectedRevision: 0n });
      // The session and one stream read; the writer's stamp comes from the subscription, not from $all.
      expect((server.calls.get('read') ?? 0) - reads).toBe(1);
      await until(second.id);
      const [a, b] = await store.readStream(s);
      expect(b!.metadata.recordedAt >= a!.metadata.recordedAt).toBe(true);
    } finally {
      await subscription.close();
      await following;
    }
  });

  it('a retry of the same events is answered as idempotent, and stored once', async () => {
    await start();
    const s = `entry-${randomUUID()}`;
    const e = testEvent('A');
    await store.append(s, [e], { expectedRevision: 'any' });
    const again = await store.append(s, [e], { expectedRevision: 'any' });
    expect(again.idempotent).toBe(true);
    expect(copies(s, e.id)).toBe(1);
  });

  it('an id used with other content, or in another stream, is a duplicate', async () => {
    await start();
    const s = `entry-${randomUUID()}`;
    const e = testEvent('A');
    await store.append(s, [e], { expectedRevision: 'any' });
    const changed = await rejection(
      store.append(s, [{ ...e, data: { other: true } }], { expectedRevision: 'any' }),
    );
    const moved = await rejection(store.append(`entry-${randomUUID()}`, [e], { expectedRevision: 'any' }));
    expect(changed).toBeInstanceOf(DuplicateEvent);
    expect(moved).toBeInstanceOf(DuplicateEvent);
    expect(copies(s, e.id)).toBe(1);
  });

  it('a revision conflict binds nothing: the ids stay free for the caller’s next try', async () => {
    await start();
    const s = `entry-${randomUUID()}`;
    await store.append(s, [testEvent('A')], { expectedRevision: 'no_stream' });
    const e = testEvent('B');
    const refused = await rejection(store.append(s, [e], { expectedRevision: 'no_stream' }));
    expect(refused).toBeInstanceOf(WrongExpectedRevision);
    expect(server.log.stream(`${CLAIM_STREAM_PREFIX}${e.id}`)).toBeUndefined();
    const next = await store.append(s, [e], { expectedRevision: 0n });
    expect(next.nextExpectedRevision).toBe(1n);
  });

  it.each([
    ['a commit timeout after the write', { kind: 'commit-timeout', written: true }],
    ['a commit timeout before the write', { kind: 'commit-timeout', written: false }],
    ['a deadline passed after the write', { kind: 'deadline', written: true }],
    ['a deadline passed before the write', { kind: 'deadline', written: false }],
    ['NotLeader', { kind: 'not-leader' }],
  ] as const)('%s: settled by reading the claims, stored once, answered as written', async (_n, fault) => {
    await start({ appendSession: true }, '&defaultDeadline=1000');
    const s = `entry-${randomUUID()}`;
    const [a, b] = [testEvent('A'), testEvent('B')];
    server.faults.failAppends(fault, { stream: (name) => name === s });
    const result = await store.append(s, [a, b], { expectedRevision: 'no_stream' });
    expect(result.idempotent).toBe(false);
    expect(server.faults.served).toBe(1);
    expect([copies(s, a.id), copies(s, b.id)]).toEqual([1, 1]);
  });

  // These two count v1 calls on the Append path (BatchAppend is one long call for all appends).
  it('on a node without sessions appends go the two-append way, and sessions are not tried again', async () => {
    await start({ batchAppend: false });
    const s = `entry-${randomUUID()}`;
    await store.append(s, [testEvent('A')], { expectedRevision: 'any' });
    await store.append(s, [testEvent('B')], { expectedRevision: 'any' });
    expect(calls().session).toBe(0);
    expect(calls().v1).toBe(4); // a claim and the event, twice
    expect(server.log.stream(s)).toHaveLength(2);
  });

  it('ids not in lower case (from before ids were lower-cased) go the two-append way', async () => {
    await start({ appendSession: true, batchAppend: false });
    const s = `entry-${randomUUID()}`;
    const e = { ...testEvent('A'), id: randomUUID().toUpperCase() };
    await store.append(s, [e], { expectedRevision: 'any' });
    expect(calls()).toEqual({ session: 0, v1: 2 });
    expect(copies(s, e.id)).toBe(1);
  });
});
