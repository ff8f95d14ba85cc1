import { randomUUID } from 'node:crypto';
import { EventStoreDbTestServer } from '../../../test/eventstoredb/eventstoredb-test-server';
import type { RecordedEvent, SubscriptionItem } from '../event-store.port';
import { comparePositions, formatPosition, parsePosition } from '../position';
import { testEvent } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const eventsOf = (items: SubscriptionItem[]): RecordedEvent[] =>
  items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));

describe.each([
  { caughtUpMessages: true, name: 'with CaughtUp messages' },
  { caughtUpMessages: false, name: 'without CaughtUp messages' },
])('eventstoredb subscription and log view ($name)', ({ caughtUpMessages }) => {
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start({ caughtUpMessages });
    store = new EventStoreDbEventStore({
      connectionString: server.connectionString,
      subscriptionBufferSize: 2,
    });
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  it('a slow consumer gets every event once, in order, and caught-up only after the backlog', async () => {
    const s = `entry-${randomUUID()}`;
    for (let i = 0; i < 8; i++) {
      const batch = [0, 1, 2, 3, 4].map((j) => testEvent(`E${i * 5 + j}`));
      await store.append(s, batch, { expectedRevision: 'any' });
    }
    const sub = store.subscribeToAll({ from: 'start' });
    const seen: SubscriptionItem[] = [];
    for await (const item of sub) {
      seen.push(item);
      await new Promise((r) => setTimeout(r, 2)); // slower than the server sends
      if (item.kind === 'caught-up') break;
    }
    const types = eventsOf(seen).map((e) => e.type);
    expect(types).toEqual(Array.from({ length: 40 }, (_, i) => `E${i}`));
    expect(seen.filter((i) => i.kind === 'caught-up')).toHaveLength(1);
    const last = seen[seen.length - 1]!;
    expect(last.kind === 'caught-up' && last.position && formatPosition(last.position)).toBe(
      formatPosition(eventsOf(seen)[39]!.position),
    );
  });

  it('a live subscriber that stops reading makes the server fall behind; nothing is lost or repeated', async () => {
    const sub = store.subscribeToAll({ from: 'end' });
    const iterator = sub[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ kind: 'caught-up' });
    const s = `entry-${randomUUID()}`;
    const padding = 'x'.repeat(4096); // enough to fill the HTTP/2 windows while nobody reads
    for (let i = 0; i < 6; i++) {
      const batch = Array.from({ length: 50 }, (_, j) => testEvent(`L${i * 50 + j}`, { padding }));
      await store.append(s, batch, { expectedRevision: 'any' });
    }
    const seen: SubscriptionItem[] = [];
    while (eventsOf(seen).length < 300) seen.push((await iterator.next()).value as SubscriptionItem);
    await sub.close();
    expect(eventsOf(seen).map((e) => e.type)).toEqual(Array.from({ length: 300 }, (_, i) => `L${i}`));
    if (caughtUpMessages) {
      expect(server.log.fellBehind).toBeGreaterThan(0);
      expect(seen.some((i) => i.kind === 'caught-up')).toBe(true); // live again after falling behind
    }
  });

  it('hides system events and claim streams from readAll, headPosition and subscriptions', async () => {
    const s = `entry-${randomUUID()}`;
    for (let i = 0; i < 6; i++) await store.append(s, [testEvent(`T${i}`)], { expectedRevision: 'any' });
    const raw = server.log.all;
    expect(raw.some((r) => r.type.startsWith('$'))).toBe(true); // the server does write them
    expect(raw.some((r) => r.stream.startsWith('evid-'))).toBe(true);

    const all = await store.readAll();
    expect(all.map((e) => e.stream)).toEqual(Array(6).fill(s));
    const head = await store.headPosition();
    expect(comparePositions(head!, all[5]!.position)).toBe(0);
    // Multi-event transactions carry commit/prepare pairs; their text form parses back.
    const text = formatPosition(all[5]!.position);
    expect(comparePositions(parsePosition(text)!, all[5]!.position)).toBe(0);

    const sub = store.subscribeToAll({ from: 'start' });
    const seen: SubscriptionItem[] = [];
    for await (const item of sub) {
      seen.push(item);
      if (item.kind === 'caught-up') break;
    }
    expect(eventsOf(seen).map((e) => e.type)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4', 'T5']);
  });

  it('pages through readAll across hidden events without losing or repeating any', async () => {
    const s = `entry-${randomUUID()}`;
    for (let i = 0; i < 12; i++) await store.append(s, [testEvent(`P${i}`)], { expectedRevision: 'any' });
    const pages: RecordedEvent[] = [];
    let from: RecordedEvent['position'] | undefined;
    for (;;) {
      const page = await store.readAll({ fromPosition: from, maxCount: 5 });
      const fresh = from ? page.slice(1) : page; // fromPosition is inclusive
      pages.push(...fresh);
      if (page.length < 5) break;
      from = page[page.length - 1]!.position;
    }
    expect(pages.map((e) => e.type)).toEqual(Array.from({ length: 12 }, (_, i) => `P${i}`));
  });
});
