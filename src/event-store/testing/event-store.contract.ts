import { randomUUID } from 'node:crypto';
import {
  DuplicateEvent,
  StreamNotFound,
  WrongExpectedRevision,
  isWrongExpectedRevision,
} from '../event-store.errors';
import type {
  EventStore,
  NewEvent,
  RecordedEvent,
  Subscription,
  SubscriptionItem,
} from '../event-store.port';
import { comparePositions, formatPosition, parsePosition } from '../position';

export interface ContractFixture {
  readonly store: EventStore;
  /** Closes the store and removes whatever the fixture created. */
  dispose(): Promise<void>;
}

/** Builds a NewEvent for tests. */
export function testEvent(type = 'Thing', data: Record<string, unknown> = {}, id = randomUUID()): NewEvent {
  return {
    id,
    type,
    schemaVersion: 1,
    data: { ...data },
    metadata: { principal: 'contract-suite', correlationId: randomUUID(), causationId: null },
  };
}

const stream = (): string => `entry-${randomUUID()}`;

async function collect(
  items: AsyncIterable<SubscriptionItem>,
  until: (seen: SubscriptionItem[]) => boolean,
  timeoutMs = 5000,
): Promise<SubscriptionItem[]> {
  const seen: SubscriptionItem[] = [];
  const deadline = Date.now() + timeoutMs;
  for await (const item of items) {
    seen.push(item);
    if (until(seen)) break;
    if (Date.now() > deadline) throw new Error('subscription did not deliver in time');
  }
  return seen;
}

const eventsOf = (items: SubscriptionItem[]): RecordedEvent[] =>
  items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));

/** The error a promise rejects with (fails when it resolves). */
/** The first `count` events a subscription delivers (its other items skipped). */
export async function firstEvents(sub: Subscription, count: number): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const item of sub) {
    if (item.kind === 'event') out.push(item.event);
    if (out.length >= count) break;
  }
  return out;
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/**
 * The semantics every EventStore adapter must have (architecture.md, "Event store port").
 * One suite, run against every adapter: each adapter's spec calls this with its own fixture.
 */
export function eventStoreContract(name: string, open: () => Promise<ContractFixture>): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describe('append and readStream', () => {
      it('starts a stream at revision 0 and keeps revisions contiguous', async () => {
        const s = stream();
        const first = await store.append(s, [testEvent('A')], { expectedRevision: 'no_stream' });
        expect(first.nextExpectedRevision).toBe(0n);
        const more = await store.append(s, [testEvent('B'), testEvent('C')], { expectedRevision: 0n });
        expect(more.nextExpectedRevision).toBe(2n);
        expect(more.events.map((e) => e.revision)).toEqual([1n, 2n]);
        const read = await store.readStream(s);
        expect(read.map((e) => [e.revision, e.type])).toEqual([
          [0n, 'A'],
          [1n, 'B'],
          [2n, 'C'],
        ]);
      });

      it('stores id, stream, type, schema version, data and metadata with a server recordedAt', async () => {
        const s = stream();
        const event = testEvent('DiplomatExpelled', { diplomat: { name: 'Bart Gorman' }, n: 3, ok: true });
        const before = Date.now();
        const result = await store.append(s, [event], { expectedRevision: 'any' });
        const [read] = await store.readStream(s);
        expect(read).toMatchObject({
          id: event.id,
          stream: s,
          revision: 0n,
          type: 'DiplomatExpelled',
          schemaVersion: 1,
          data: event.data,
          metadata: {
            principal: 'contract-suite',
            correlationId: event.metadata.correlationId,
            causationId: null,
          },
        });
        expect(comparePositions(read!.position, result.position)).toBe(0);
        const recordedAt = Date.parse(read!.metadata.recordedAt);
        expect(recordedAt).toBeGreaterThanOrEqual(before - 5000);
        expect(recordedAt).toBeLessThanOrEqual(Date.now() + 5000);
      });

      it('reads backwards, from a revision, and at most maxCount events', async () => {
        const s = stream();
        await store.append(
          s,
          ['A', 'B', 'C', 'D'].map((t) => testEvent(t)),
          { expectedRevision: 'no_stream' },
        );
        const back = await store.readStream(s, { direction: 'backwards' });
        expect(back.map((e) => e.type)).toEqual(['D', 'C', 'B', 'A']);
        const from = await store.readStream(s, { fromRevision: 1n, maxCount: 2 });
        expect(from.map((e) => e.type)).toEqual(['B', 'C']);
        const backFrom = await store.readStream(s, { direction: 'backwards', fromRevision: 2n, maxCount: 2 });
        expect(backFrom.map((e) => e.type)).toEqual(['C', 'B']);
        const last = await store.readStream(s, { direction: 'backwards', maxCount: 1 });
        expect(last.map((e) => e.type)).toEqual(['D']);
      });

      it('throws StreamNotFound for a stream that does not exist', async () => {
        const e = await rejection(store.readStream(stream()));
        expect(e).toBeInstanceOf(StreamNotFound);
      });

      it('reports the current revision of a stream, null when absent', async () => {
        const s = stream();
        expect(await store.streamRevision(s)).toBeNull();
        await store.append(s, [testEvent(), testEvent()], { expectedRevision: 'no_stream' });
        expect(await store.streamRevision(s)).toBe(1n);
      });
    });

    describe('expected revision', () => {
      it('no_stream fails on an existing stream, carrying the actual revision', async () => {
        const s = stream();
        await store.append(s, [testEvent(), testEvent()], { expectedRevision: 'no_stream' });
        const e = await rejection(store.append(s, [testEvent()], { expectedRevision: 'no_stream' }));
        expect(e).toBeInstanceOf(WrongExpectedRevision);
        expect((e as WrongExpectedRevision).actual).toBe(1n);
        expect((e as WrongExpectedRevision).code).toBe('wrong_expected_revision');
      });

      it('stream_exists fails on a missing stream and succeeds on an existing one', async () => {
        const s = stream();
        const e = await rejection(store.append(s, [testEvent()], { expectedRevision: 'stream_exists' }));
        expect(isWrongExpectedRevision(e) && e.actual).toBe('no_stream');
        await store.append(s, [testEvent()], { expectedRevision: 'no_stream' });
        const ok = await store.append(s, [testEvent()], { expectedRevision: 'stream_exists' });
        expect(ok.nextExpectedRevision).toBe(1n);
      });

      it('an exact revision must match; any always succeeds', async () => {
        const s = stream();
        await store.append(s, [testEvent()], { expectedRevision: 'any' });
        const e = await rejection(store.append(s, [testEvent()], { expectedRevision: 5n }));
        expect(isWrongExpectedRevision(e) && e.actual).toBe(0n);
        const missing = await rejection(store.append(stream(), [testEvent()], { expectedRevision: 0n }));
        expect(isWrongExpectedRevision(missing) && missing.actual).toBe('no_stream');
        expect((await store.append(s, [testEvent()], { expectedRevision: 0n })).nextExpectedRevision).toBe(
          1n,
        );
        expect((await store.append(s, [testEvent()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(
          2n,
        );
      });

      it('a rejected append writes nothing', async () => {
        const s = stream();
        await store.append(s, [testEvent('A')], { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        await rejection(store.append(s, [testEvent('X'), testEvent('Y')], { expectedRevision: 7n }));
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A']);
        expect(comparePositions((await store.headPosition())!, head!)).toBe(0);
      });

      it('of concurrent appends expecting the same revision exactly one wins', async () => {
        const s = stream();
        await store.append(s, [testEvent()], { expectedRevision: 'no_stream' });
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.append(s, [testEvent()], { expectedRevision: 0n })),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        const failures = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
        expect(failures.every((f) => f.reason instanceof WrongExpectedRevision)).toBe(true);
        expect(await store.streamRevision(s)).toBe(1n);
      });
    });

    describe('idempotency', () => {
      it('takes an event id in any case as the same id, stored in lower case', async () => {
        const s = stream();
        const event = { ...testEvent('A'), id: randomUUID().toUpperCase() };
        const first = await store.append(s, [event], { expectedRevision: 'no_stream' });
        const lower = { ...event, id: event.id.toLowerCase() };
        const again = await store.append(s, [lower], { expectedRevision: 'no_stream' });
        expect([first.idempotent, again.idempotent]).toEqual([false, true]);
        expect((await store.readStream(s)).map((e) => e.id)).toEqual([lower.id]);
        expect(await store.storedEventId(event.id)).toBe(lower.id);
        expect(await store.storedEventId(randomUUID())).toBeNull();
      });

      it('the same ids with the same content return the original result and store nothing', async () => {
        const s = stream();
        const events = [testEvent('A', { x: 1 }), testEvent('B', { y: [1, 2] })];
        const first = await store.append(s, events, { expectedRevision: 'no_stream' });
        await store.append(s, [testEvent('C')], { expectedRevision: 1n });
        const again = await store.append(s, events, { expectedRevision: 'no_stream' });
        expect(again.idempotent).toBe(true);
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(comparePositions(again.position, first.position)).toBe(0);
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('treats content as equal regardless of key order in data', async () => {
        const s = stream();
        const a = testEvent('A', { first: 1, second: { b: 2, a: 1 } });
        await store.append(s, [a], { expectedRevision: 'no_stream' });
        const reordered: NewEvent = { ...a, data: { second: { a: 1, b: 2 }, first: 1 } };
        expect((await store.append(s, [reordered], { expectedRevision: 'any' })).idempotent).toBe(true);
      });

      it('the same id with different content is a DuplicateEvent', async () => {
        const s = stream();
        const a = testEvent('A', { x: 1 });
        await store.append(s, [a], { expectedRevision: 'no_stream' });
        const e = await rejection(store.append(s, [{ ...a, data: { x: 2 } }], { expectedRevision: 'any' }));
        expect(e).toBeInstanceOf(DuplicateEvent);
        expect((await store.readStream(s)).map((x) => x.data)).toEqual([{ x: 1 }]);
      });

      it('the same id in another stream is a DuplicateEvent', async () => {
        const a = testEvent('A');
        await store.append(stream(), [a], { expectedRevision: 'no_stream' });
        const other = stream();
        const e = await rejection(store.append(other, [a], { expectedRevision: 'any' }));
        expect(e).toBeInstanceOf(DuplicateEvent);
        expect(await store.streamRevision(other)).toBeNull();
      });

      it('a retry racing the original stores the event once', async () => {
        const s = stream();
        const a = testEvent('A');
        const [x, y] = await Promise.all([
          store.append(s, [a], { expectedRevision: 'no_stream' }),
          store.append(s, [a], { expectedRevision: 'no_stream' }),
        ]);
        expect(comparePositions(x.position, y.position)).toBe(0);
        expect(await store.readStream(s)).toHaveLength(1);
      });
    });

    describe('readAll and positions', () => {
      it('reads the log in position order, from a position inclusive, in pages', async () => {
        const start = await store.headPosition();
        const streams = [stream(), stream(), stream()];
        for (let i = 0; i < 9; i++) {
          await store.append(streams[i % 3]!, [testEvent(`T${i}`)], { expectedRevision: 'any' });
        }
        const all: RecordedEvent[] = [];
        let from = start ?? undefined;
        for (;;) {
          const page = await store.readAll({ fromPosition: from, maxCount: 4 });
          const fresh = page.filter((e) => !start || comparePositions(e.position, start) > 0);
          all.push(...fresh.filter((e) => !all.some((seen) => seen.id === e.id)));
          if (page.length < 4) break;
          from = page[page.length - 1]!.position;
        }
        const ours = all.filter((e) => streams.includes(e.stream));
        expect(ours.map((e) => e.type)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8']);
        for (let i = 1; i < ours.length; i++) {
          expect(comparePositions(ours[i - 1]!.position, ours[i]!.position)).toBe(-1);
        }
        const [again] = await store.readAll({ fromPosition: ours[4]!.position, maxCount: 1 });
        expect(again!.id).toBe(ours[4]!.id);
      });

      it('keeps recordedAt non-decreasing in log order', async () => {
        const s = stream();
        for (let i = 0; i < 5; i++) await store.append(s, [testEvent()], { expectedRevision: 'any' });
        const read = await store.readStream(s);
        const times = read.map((e) => Date.parse(e.metadata.recordedAt));
        expect([...times].sort((a, b) => a - b)).toEqual(times);
      });

      it('serialises positions as strings that parse back to the same position', async () => {
        const r = await store.append(stream(), [testEvent()], { expectedRevision: 'any' });
        const text = formatPosition(r.position);
        expect(typeof text).toBe('string');
        expect(comparePositions(parsePosition(text)!, r.position)).toBe(0);
        expect(comparePositions((await store.headPosition())!, r.position)).toBe(0);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from the start, signals caught-up, then follows live in log order', async () => {
        const s = stream();
        await store.append(s, [testEvent('Old1'), testEvent('Old2')], { expectedRevision: 'no_stream' });
        const sub = store.subscribeToAll({ from: 'start' });
        const iterator = sub[Symbol.asyncIterator]();
        const seen: SubscriptionItem[] = [];
        for (;;) {
          const next = await iterator.next();
          seen.push(next.value as SubscriptionItem);
          if ((next.value as SubscriptionItem).kind === 'caught-up') break;
        }
        expect(
          eventsOf(seen)
            .filter((e) => e.stream === s)
            .map((e) => e.type),
        ).toEqual(['Old1', 'Old2']);
        const live = store.append(s, [testEvent('New1')], { expectedRevision: 1n });
        const rest: SubscriptionItem[] = [];
        for (;;) {
          const next = await iterator.next();
          rest.push(next.value as SubscriptionItem);
          if (eventsOf(rest).some((e) => e.type === 'New1')) break;
        }
        await live;
        await store.append(s, [testEvent('New2')], { expectedRevision: 2n });
        const after = await iterator.next();
        expect(
          (after.value as SubscriptionItem).kind === 'event' &&
            (after.value as { event: RecordedEvent }).event.type,
        ).toBe('New2');
        await sub.close();
        const all = [...eventsOf(seen), ...eventsOf(rest)];
        for (let i = 1; i < all.length; i++)
          expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
      });

      it('starts strictly after a given position', async () => {
        const s = stream();
        const r = await store.append(s, [testEvent('A'), testEvent('B'), testEvent('C')], {
          expectedRevision: 'no_stream',
        });
        const sub = store.subscribeToAll({ from: r.events[0]!.position });
        const seen = await collect(sub, (items) => items.some((i) => i.kind === 'caught-up'));
        await sub.close();
        expect(eventsOf(seen).map((e) => e.type)).toEqual(['B', 'C']);
      });

      it("from 'end' delivers only events appended afterwards", async () => {
        const s = stream();
        await store.append(s, [testEvent('Before')], { expectedRevision: 'no_stream' });
        const sub = store.subscribeToAll({ from: 'end' });
        const got = collect(sub, (items) => eventsOf(items).some((e) => e.type === 'After'));
        await store.append(s, [testEvent('After')], { expectedRevision: 0n });
        const seen = await got;
        await sub.close();
        expect(eventsOf(seen).map((e) => e.type)).toEqual(['After']);
      });

      it('close ends the iteration', async () => {
        const sub = store.subscribeToAll({ from: 'end' });
        const done = (async () => {
          let n = 0;
          for await (const item of sub) if (item.kind === 'event') n++;
          return n;
        })();
        await new Promise((r) => setTimeout(r, 50));
        await sub.close();
        await expect(done).resolves.toBe(0);
      });
    });
  });
}
