import { randomUUID } from 'node:crypto';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import fc from 'fast-check';
import { EventStoreDbTestServer } from '../../../test/eventstoredb/eventstoredb-test-server';
import { DuplicateEvent, WrongExpectedRevision } from '../event-store.errors';
import type { AppendResult, NewEvent } from '../event-store.port';
import { comparePositions } from '../position';
import { testEvent } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

describe('eventstoredb adapter idempotency under races', () => {
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    server = await EventStoreDbTestServer.start();
    store = new EventStoreDbEventStore({ connectionString: server.connectionString });
  });
  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  it('the test server, like a real one, dedupes `any` appends only while their ids are in its cache', async () => {
    const small = await EventStoreDbTestServer.start({ recentIds: 2 });
    const client = KurrentDBClient.connectionString(small.connectionString);
    try {
      const s = `entry-${randomUUID()}`;
      const a = jsonEvent({ id: randomUUID(), type: 'A', data: {} });
      await client.appendToStream(s, a);
      await client.appendToStream(s, a); // deduped: the id is in the cache
      await client.appendToStream(s, [
        jsonEvent({ type: 'B', data: {} }),
        jsonEvent({ type: 'C', data: {} }),
      ]);
      await client.appendToStream(s, a); // not deduped any more: a second copy
      const ids: string[] = [];
      for await (const e of client.readStream(s)) ids.push(e.event!.id);
      expect(ids.filter((id) => id === a.id)).toHaveLength(2);
    } finally {
      await client.dispose();
      await small.stop();
    }
  });

  it('an id claimed by an append that was refused can still be stored, in that stream only', async () => {
    const s = `entry-${randomUUID()}`;
    const a = testEvent('A', { x: 1 });
    await expect(store.append(s, [a], { expectedRevision: 5n })).rejects.toBeInstanceOf(
      WrongExpectedRevision,
    );
    const stored = await store.append(s, [a], { expectedRevision: 'no_stream' });
    expect(stored).toMatchObject({ idempotent: false, nextExpectedRevision: 0n });
    await expect(
      store.append(`entry-${randomUUID()}`, [a], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(DuplicateEvent);
    await expect(
      store.append(s, [{ ...a, data: { x: 2 } }], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(DuplicateEvent);
    const partly = [a, testEvent('B')];
    await expect(store.append(s, partly, { expectedRevision: 'any' })).rejects.toThrow(/part of this append/);
    expect((await store.readStream(s)).map((e) => e.id)).toEqual([a.id]);
  });

  it('concurrent appends and retries store every event at most once, in the stream it was first claimed for', async () => {
    const group = fc.integer({ min: 1, max: 3 }).map((n) => Array.from({ length: n }, () => testEvent('G')));
    const scenario = fc.record({
      groups: fc.array(group, { minLength: 1, maxLength: 4 }),
      attempts: fc.array(fc.record({ group: fc.nat(), otherStream: fc.boolean() }), {
        minLength: 1,
        maxLength: 10,
      }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ groups, attempts }) => {
        const streams = [`entry-${randomUUID()}`, `entry-${randomUUID()}`];
        const plan = attempts.map((a) => {
          const g = a.group % groups.length;
          // Mostly retries into the group's own stream, sometimes (a client bug) into the other.
          return { g, stream: streams[(g + (a.otherStream && a.group % 3 === 0 ? 1 : 0)) % 2]! };
        });
        const settled = await Promise.allSettled(
          plan.map((p) => store.append(p.stream, groups[p.g]!, { expectedRevision: 'any' })),
        );
        for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(DuplicateEvent);

        const stored = new Map<string, { stream: string; revision: bigint }>();
        for (const s of streams) {
          const events = await store.readStream(s).catch(() => []);
          expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
          for (const e of events) {
            expect(stored.has(e.id)).toBe(false); // exactly once across both streams
            stored.set(e.id, { stream: s, revision: e.revision });
          }
        }
        groups.forEach((events: NewEvent[], g) => {
          const wins = plan.flatMap((p, i) => {
            const s = settled[i]!;
            return p.g === g && s.status === 'fulfilled' ? [{ stream: p.stream, result: s.value }] : [];
          });
          if (wins.length === 0) {
            for (const e of events) expect(stored.has(e.id)).toBe(false);
            return;
          }
          const first: AppendResult = wins[0]!.result;
          for (const w of wins) {
            expect(w.stream).toBe(wins[0]!.stream);
            expect(comparePositions(w.result.position, first.position)).toBe(0);
          }
          expect(wins.filter((w) => !w.result.idempotent).length).toBeLessThanOrEqual(1);
          events.forEach((e, i) => {
            expect(stored.get(e.id)).toEqual({
              stream: wins[0]!.stream,
              revision: first.events[i]!.revision,
            });
          });
        });
      }),
      { numRuns: 25 },
    );
  });
});
