import { randomUUID } from 'node:crypto';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import { EventStoreDbTestServer } from '../../../test/eventstoredb/eventstoredb-test-server';
import type { AppendFault } from '../../../test/eventstoredb/node-faults';
import { contentHash } from '../append-rules';
import { AppendTooLarge, EventStoreUnavailable } from '../event-store.errors';
import { rejection, testEvent } from '../testing/event-store.contract';
import { CLAIM_EVENT_TYPE, CLAIM_STREAM_PREFIX, encodeEvent } from './eventstoredb-codec';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * What a real node does that the adapter must survive (issue 19): upper-case ids, the append size
 * limit, writes whose outcome is unknown (commit timeout, deadline, NotLeader) and reads that get
 * no answer. Every write is checked in the server's own log: one copy, none lost.
 */
describe('eventstoredb adapter against a real node’s answers', () => {
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;
  const open = (connectionString = server.connectionString): EventStoreDbEventStore =>
    new EventStoreDbEventStore({ connectionString, retryDelayMs: 10 });

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start();
    store = open();
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  const copies = (stream: string, id: string): number =>
    (server.log.stream(stream) ?? []).filter((r) => r.id === id.toLowerCase()).length;

  it('an upper-case id is stored once and its retry is answered as idempotent', async () => {
    const s = `entry-${randomUUID()}`;
    const e = { ...testEvent('A'), id: randomUUID().toUpperCase() };
    const first = await store.append(s, [e], { expectedRevision: 'no_stream' });
    const again = await store.append(s, [e], { expectedRevision: 'no_stream' });
    const third = await store.append(s, [e], { expectedRevision: 'any' });
    expect([first.idempotent, again.idempotent, third.idempotent]).toEqual([false, true, true]);
    expect(copies(s, e.id)).toBe(1);
  });

  it('an id claimed in upper case before ids were lower-cased keeps its claim: retries in any case find it', async () => {
    const s = `entry-${randomUUID()}`;
    const legacy = { ...testEvent('A'), id: randomUUID().toUpperCase() };
    // As the adapter left it before: the claim named with the id as sent, the event stored after it.
    const client = KurrentDBClient.connectionString(server.connectionString);
    try {
      const claim = { stream: s, contentHash: contentHash(legacy) };
      await client.appendToStream(
        CLAIM_STREAM_PREFIX + legacy.id,
        jsonEvent({ type: CLAIM_EVENT_TYPE, data: claim }),
      );
      await client.appendToStream(s, encodeEvent(legacy, randomUUID()), { streamState: 'no_stream' });
    } finally {
      await client.dispose();
    }
    expect(await store.storedEventId(legacy.id.toLowerCase())).toBe(legacy.id);
    const retried = await store.append(s, [legacy], { expectedRevision: 'no_stream' });
    expect(retried.idempotent).toBe(true);
    expect(copies(s, legacy.id)).toBe(1);
  });

  it('an append over the maximum size is refused as too large, naming the limit, and binds nothing', async () => {
    const s = `entry-${randomUUID()}`;
    const e = testEvent('Big', { text: 'x'.repeat(1024 * 1024) });
    const refused = await rejection(store.append(s, [e], { expectedRevision: 'any' }));
    expect(refused).toBeInstanceOf(AppendTooLarge);
    expect((refused as AppendTooLarge).maxAppendSize).toBe(1024 * 1024);
    expect((refused as Error).message).toContain('1048576 bytes');
    // Nothing was claimed: the id can still be used for content that fits.
    await store.append(s, [{ ...e, data: { text: 'small' } }], { expectedRevision: 'any' });
    expect(copies(s, e.id)).toBe(1);
  });

  it('a node configured with a smaller limit refuses with its own limit', async () => {
    const small = await EventStoreDbTestServer.start({ maxAppendSize: 4096 });
    const client = open(small.connectionString);
    try {
      const e = testEvent('Big', { text: 'x'.repeat(5000) });
      const refused = await rejection(
        client.append(`entry-${randomUUID()}`, [e], { expectedRevision: 'any' }),
      );
      expect(refused).toBeInstanceOf(AppendTooLarge);
      expect((refused as AppendTooLarge).maxAppendSize).toBe(4096);
    } finally {
      await client.close();
      await small.stop();
    }
  });

  const uncertain: Array<[string, AppendFault]> = [
    ['a commit timeout after the write', { kind: 'commit-timeout', written: true }],
    ['a commit timeout before the write', { kind: 'commit-timeout', written: false }],
    ['a deadline passed after the write', { kind: 'deadline', written: true }],
    ['a deadline passed before the write', { kind: 'deadline', written: false }],
  ];
  it.each(uncertain)('%s: retried with the same ids, stored once, answered as written', async (_n, fault) => {
    await store.close();
    store = open(`${server.connectionString}&defaultDeadline=1000`);
    const s = `entry-${randomUUID()}`;
    const e = testEvent('A');
    server.faults.failAppends(fault, { stream: (name) => name === s });
    const result = await store.append(s, [e], { expectedRevision: 'no_stream' });
    expect(result.idempotent).toBe(false);
    expect(server.faults.served).toBe(1);
    expect(copies(s, e.id)).toBe(1);
  });

  const redirected: Array<[string, (stream: string) => boolean]> = [
    ['its claim', (name) => name.startsWith('evid-')],
    ['its events', (name) => name.startsWith('entry-')],
  ];
  it.each(redirected)('NotLeader on %s: follows the leader, no duplicate, no lost event', async (_n, on) => {
    const leader = await EventStoreDbTestServer.start({ log: server.log });
    try {
      const s = `entry-${randomUUID()}`;
      const [a, b] = [testEvent('A'), testEvent('B')];
      const to = { host: '127.0.0.1', port: leader.port };
      server.faults.failAppends({ kind: 'not-leader', leader: to }, { stream: on, times: 50 });
      const result = await store.append(s, [a, b], { expectedRevision: 'no_stream' });
      expect(result.idempotent).toBe(false);
      expect(server.faults.served).toBe(1); // the client moved to the leader and stayed there
      expect([copies(s, a.id), copies(s, b.id)]).toEqual([1, 1]);
    } finally {
      await store.close();
      await leader.stop();
    }
  });

  it('gives up after a bounded number of attempts with EventStoreUnavailable; a later retry stores once', async () => {
    const s = `entry-${randomUUID()}`;
    const e = testEvent('A');
    server.faults.failAppends(
      { kind: 'commit-timeout', written: false },
      { stream: (n) => n === s, times: 1000 },
    );
    const refused = await rejection(store.append(s, [e], { expectedRevision: 'no_stream' }));
    expect(refused).toBeInstanceOf(EventStoreUnavailable);
    const attempts = server.faults.served;
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(5);
    server.faults.clear();
    const retried = await store.append(s, [e], { expectedRevision: 'no_stream' });
    expect(retried.nextExpectedRevision).toBe(0n);
    expect(copies(s, e.id)).toBe(1);
  });

  it('a read that gets no answer ends at its deadline with EventStoreUnavailable', async () => {
    await store.close();
    store = open(`${server.connectionString}&defaultDeadline=1000`);
    const s = `entry-${randomUUID()}`;
    await store.append(s, [testEvent('A')], { expectedRevision: 'no_stream' });
    server.faults.stalledReads = 1;
    const refused = await rejection(store.readStream(s));
    expect(refused).toBeInstanceOf(EventStoreUnavailable);
    expect((refused as Error).message).toMatch(/no answer/);
    expect(await store.readStream(s)).toHaveLength(1);
  });
});
