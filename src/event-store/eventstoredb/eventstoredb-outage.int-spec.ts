import { randomUUID } from 'node:crypto';
import { EventStoreDbTestServer } from '../../../test/eventstoredb/eventstoredb-test-server';
import { EventStoreUnavailable } from '../event-store.errors';
import type { RecordedEvent, SubscriptionItem } from '../event-store.port';
import { rejection, testEvent } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/** Retries an operation until the client has reconnected (a new channel after a failed one). */
async function eventually<T>(operation: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await operation();
    } catch (e) {
      if (!(e instanceof EventStoreUnavailable) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Waits until health() reports the store up. One health call has a short deadline (so a server
 * that is away is seen as down quickly), which a loaded machine can miss even with the server
 * back: the condition is polled, not asserted once.
 */
async function healthUp(store: EventStoreDbEventStore, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await store.health()).up) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Pulls items until `until` holds; fails after the timeout instead of hanging. */
async function pull(
  iterator: AsyncIterator<SubscriptionItem>,
  until: (seen: SubscriptionItem[]) => boolean,
  timeoutMs = 10_000,
): Promise<SubscriptionItem[]> {
  const seen: SubscriptionItem[] = [];
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no progress after ${seen.length} items`)), timeoutMs).unref(),
  );
  while (!until(seen)) {
    const next = await Promise.race([iterator.next(), timeout]);
    if (next.done) throw new Error('the subscription ended');
    seen.push(next.value);
  }
  return seen;
}

const eventsOf = (items: SubscriptionItem[]): RecordedEvent[] =>
  items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));

describe('eventstoredb adapter when the server is away', () => {
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start();
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  it('unreachable at start: clear error, health down; recovers when the server comes', async () => {
    await server.stop();
    store = new EventStoreDbEventStore({ connectionString: server.connectionString, healthTimeoutMs: 500 });
    const health = await store.health();
    expect(health).toMatchObject({ up: false, driver: 'eventstoredb' });
    expect(health.detail).toMatch(
      new RegExp(`EventStoreDB at kurrentdb://127.0.0.1:${server.port} is unavailable`),
    );
    const e = await rejection(
      store.append(`entry-${randomUUID()}`, [testEvent()], { expectedRevision: 'any' }),
    );
    expect(e).toBeInstanceOf(EventStoreUnavailable);
    expect((e as EventStoreUnavailable).code).toBe('store_unavailable');
    expect((e as Error).message).toContain(`127.0.0.1:${server.port}`);
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailable);

    await server.start();
    const s = `entry-${randomUUID()}`;
    const written = await eventually(() =>
      store.append(s, [testEvent('A')], { expectedRevision: 'no_stream' }),
    );
    expect(written.nextExpectedRevision).toBe(0n);
    expect(await healthUp(store)).toBe(true);
  });

  it('stopped mid-run: appends fail with EventStoreUnavailable, then work again after the restart', async () => {
    store = new EventStoreDbEventStore({ connectionString: server.connectionString, healthTimeoutMs: 500 });
    const s = `entry-${randomUUID()}`;
    await store.append(s, [testEvent('Before')], { expectedRevision: 'no_stream' });
    await server.stop();
    const e = await rejection(store.append(s, [testEvent('During')], { expectedRevision: 0n }));
    expect(e).toBeInstanceOf(EventStoreUnavailable);
    expect((await store.health()).up).toBe(false);

    await server.start();
    const after = testEvent('After');
    const r = await eventually(() => store.append(s, [after], { expectedRevision: 0n }));
    expect(r.nextExpectedRevision).toBe(1n);
    // A client retry of the append that may or may not have gone through is safe.
    expect((await store.append(s, [after], { expectedRevision: 0n })).idempotent).toBe(true);
    expect((await store.readStream(s)).map((x) => x.type)).toEqual(['Before', 'After']);
    expect(await healthUp(store)).toBe(true);
  });

  it('a subscription resumes after a restart without gap or duplicate', async () => {
    store = new EventStoreDbEventStore({ connectionString: server.connectionString, resubscribeDelayMs: 50 });
    const s = `entry-${randomUUID()}`;
    await store.append(
      s,
      ['A1', 'A2', 'A3', 'A4'].map((t) => testEvent(t)),
      { expectedRevision: 'no_stream' },
    );
    const sub = store.subscribeToAll({ from: 'start' });
    const iterator = sub[Symbol.asyncIterator]();
    // Consume only part of what the server already sent: the rest is in flight when it goes away.
    const first = await pull(iterator, (seen) => eventsOf(seen).length === 2);

    await server.stop();
    await new Promise((r) => setTimeout(r, 200));
    await server.start();
    await eventually(() => store.append(s, [testEvent('B1'), testEvent('B2')], { expectedRevision: 3n }));

    // The resubscription catches up again (A3, A4 and whatever came meanwhile) and says so.
    const rest = await pull(
      iterator,
      (seen) => eventsOf(seen).some((e) => e.type === 'B2') && seen.some((i) => i.kind === 'caught-up'),
    );
    await sub.close();
    const types = [...eventsOf(first), ...eventsOf(rest)].filter((e) => e.stream === s).map((e) => e.type);
    expect(types).toEqual(['A1', 'A2', 'A3', 'A4', 'B1', 'B2']);
  });

  it('a live subscription sees what was appended while it was reconnecting', async () => {
    store = new EventStoreDbEventStore({
      connectionString: server.connectionString,
      resubscribeDelayMs: 300,
    });
    const writer = new EventStoreDbEventStore({ connectionString: server.connectionString });
    try {
      const s = `entry-${randomUUID()}`;
      const sub = store.subscribeToAll({ from: 'end' });
      const iterator = sub[Symbol.asyncIterator]();
      await pull(iterator, (seen) => seen.some((i) => i.kind === 'caught-up'));
      await writer.append(s, [testEvent('Live')], { expectedRevision: 'no_stream' });
      await pull(iterator, (seen) => eventsOf(seen).some((e) => e.type === 'Live'));

      await server.stop();
      await server.start();
      // Appended before the subscription is back (its delay is longer than this takes).
      await eventually(() => writer.append(s, [testEvent('Meanwhile')], { expectedRevision: 0n }));
      const rest = await pull(iterator, (seen) => eventsOf(seen).some((e) => e.type === 'Meanwhile'));
      await sub.close();
      expect(eventsOf(rest).map((e) => e.type)).toEqual(['Meanwhile']);
    } finally {
      await writer.close();
    }
  });
});
