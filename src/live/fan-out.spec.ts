import type { LogEvent } from '../chronology/events';
import { positionOf } from '../event-store';
import type { AppliedBatch } from '../projections/applied-stream';
import { FanOut, type Subscriber } from './fan-out';
import type { Feed } from './feeds';
import type { SseStream } from './sse-stream';

/** A socket stand-in: records each write; `costMs` of busy CPU per write, as a real write() takes. */
class FakeStream {
  readonly writes: string[] = [];
  closed = false;
  closedWith: string | null = null;
  refuse = false;

  constructor(private readonly costMs = 0) {}

  writeLive(bytes: Buffer): boolean {
    if (this.closed || this.refuse) return false;
    const until = performance.now() + this.costMs;
    while (performance.now() < until);
    this.writes.push(bytes.toString());
    return true;
  }

  close(reason: string): void {
    this.closed = true;
    this.closedWith = reason;
  }

  /** The ids of every message received, in order. */
  get ids(): number[] {
    return [...this.writes.join('').matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

/** A feed that sends every event (`only`: just those whose seq passes). */
function feed(key: string, only: (seq: number) => boolean = () => true): Feed {
  return {
    key,
    catchUp: () => Promise.resolve([]),
    live: (batch) =>
      batch.events
        .map((_, i) => batch.firstSeq + i)
        .filter(only)
        .map((seq) => ({ id: String(seq), event: 'event.appended', data: '{}' })),
  };
}

function batch(firstSeq: number, size = 1): AppliedBatch {
  const events = Array.from(
    { length: size },
    (_, i) => ({ id: `e${firstSeq + i}`, position: positionOf(BigInt(firstSeq + i)) }) as unknown as LogEvent,
  );
  return { events, firstSeq };
}

/** The fan-out with its backlog in view: what it still holds for live subscribers. */
class ObservedFanOut extends FanOut {
  get pendingBatches(): number {
    return this.backlog.length;
  }
}

function setUp(streams: FakeStream[], feeds: Feed[] = [feed('all')], cursor = 0) {
  const subscribers: Subscriber[] = streams.map((stream, i) => ({
    stream: stream as unknown as SseStream,
    feed: feeds[i % feeds.length]!,
    cursor,
    live: true,
  }));
  const fellBack: Subscriber[] = [];
  const failures: string[] = [];
  let rounds = 0;
  const fanOut = new ObservedFanOut({
    subscribers: () => subscribers,
    fallBack: (s) => fellBack.push(s),
    failed: (key, e) => failures.push(`${key}: ${e.message}`),
    roundEnded: () => rounds++,
  });
  return { fanOut, subscribers, fellBack, failures, rounds: () => rounds };
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

async function settled(fanOut: ObservedFanOut): Promise<void> {
  for (let i = 0; i < 10_000 && fanOut.pendingBatches > 0; i++) await nextTurn();
  expect(fanOut.pendingBatches).toBe(0);
}

describe('FanOut', () => {
  it('writes a batch to every live subscriber at once when the round fits in one slice', () => {
    const streams = Array.from({ length: 10 }, () => new FakeStream());
    const { fanOut, subscribers } = setUp(streams);
    fanOut.push(batch(1));
    for (const s of streams) expect(s.ids).toEqual([1]);
    for (const s of subscribers) expect(s.cursor).toBe(1);
    expect(fanOut.pendingBatches).toBe(0);
  });

  it('yields the loop between slices, so other work runs before the round ends', async () => {
    // 200 writes of 0.1 ms: about 20 ms, ten slices of 2 ms.
    const streams = Array.from({ length: 200 }, () => new FakeStream(0.1));
    const { fanOut } = setUp(streams);
    fanOut.push(batch(1));
    const servedAfterPush = streams.filter((s) => s.writes.length > 0).length;
    let servedWhenOtherWorkRan = -1;
    setImmediate(() => (servedWhenOtherWorkRan = streams.filter((s) => s.writes.length > 0).length));
    await settled(fanOut);
    expect(servedAfterPush).toBeGreaterThan(0);
    expect(servedAfterPush).toBeLessThan(200);
    expect(servedWhenOtherWorkRan).toBeLessThan(200);
    for (const s of streams) expect(s.ids).toEqual([1]);
  });

  it('batches applied during a round: each subscriber gets every event once, in order, coalesced', async () => {
    const streams = Array.from({ length: 200 }, () => new FakeStream(0.1));
    const { fanOut, rounds } = setUp(streams, [feed('all'), feed('odd', (seq) => seq % 2 === 1)]);
    fanOut.push(batch(1));
    for (let seq = 2; seq <= 6; seq++) {
      await nextTurn();
      fanOut.push(batch(seq));
    }
    fanOut.push(batch(7, 3));
    await settled(fanOut);
    streams.forEach((s, i) => {
      expect(s.ids).toEqual(i % 2 === 0 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1, 3, 5, 7, 9]);
    });
    // Later subscribers took several batches in one write: fewer writes than subscribers x batches.
    const writes = streams.reduce((n, s) => n + s.writes.length, 0);
    expect(writes).toBeLessThan(200 * 7);
    expect(rounds()).toBeGreaterThan(1);
  });

  it('a subscriber whose socket refuses more falls back to the log, its cursor at what it was sent', () => {
    const streams = [new FakeStream(), new FakeStream()];
    const { fanOut, subscribers, fellBack } = setUp(streams);
    fanOut.push(batch(1));
    streams[1]!.refuse = true;
    fanOut.push(batch(2));
    expect(fellBack).toEqual([subscribers[1]]);
    expect(subscribers[1]).toMatchObject({ live: false, cursor: 1 });
    expect(subscribers[0]).toMatchObject({ live: true, cursor: 2 });
    expect(streams[0]!.ids).toEqual([1, 2]);
    expect(fanOut.pendingBatches).toBe(0); // a subscriber that is not live holds nothing back
  });

  it('a subscriber out of step with the batches falls back to the log instead of skipping events', () => {
    const streams = [new FakeStream(), new FakeStream()];
    const { fanOut, subscribers, fellBack } = setUp(streams, [feed('all')], 4);
    subscribers[1]!.cursor = 2; // missed 3 and 4
    fanOut.push(batch(5));
    expect(streams[0]!.ids).toEqual([5]);
    expect(streams[1]!.ids).toEqual([]);
    expect(fellBack).toEqual([subscribers[1]]);
    expect(subscribers[1]).toMatchObject({ live: false, cursor: 2 });
  });

  it('a feed that throws closes its own subscribers, is reported once per batch, and spares the others', () => {
    const broken: Feed = {
      ...feed('broken'),
      live: () => {
        throw new Error('no such table');
      },
    };
    const streams = Array.from({ length: 4 }, () => new FakeStream());
    const { fanOut, failures } = setUp(streams, [feed('all'), broken]);
    fanOut.push(batch(1));
    expect(failures).toEqual(['broken: no such table']);
    expect(streams.map((s) => s.closedWith)).toEqual([null, 'feed failed', null, 'feed failed']);
    expect(streams[0]!.ids).toEqual([1]);
    expect(streams[2]!.ids).toEqual([1]);
  });

  it('keeps nothing and counts no round while no subscriber is live', () => {
    const streams = [new FakeStream()];
    const { fanOut, subscribers, rounds } = setUp(streams);
    subscribers[0]!.live = false;
    fanOut.push(batch(1));
    expect(rounds()).toBe(0);
    expect(fanOut.pendingBatches).toBe(0);
    subscribers[0]!.cursor = 1; // caught up from the log, it goes live at the frontier
    subscribers[0]!.live = true;
    fanOut.push(batch(2));
    expect(rounds()).toBe(1);
    expect(streams[0]!.ids).toEqual([2]);
  });

  it('a subscriber that goes live at the frontier gets only what is applied after it', async () => {
    const streams = [new FakeStream(), new FakeStream()];
    const { fanOut, subscribers } = setUp(streams);
    subscribers[1]!.live = false; // still catching up
    fanOut.push(batch(1));
    subscribers[1]!.cursor = 1;
    subscribers[1]!.live = true;
    fanOut.push(batch(2));
    await settled(fanOut);
    expect(streams[0]!.ids).toEqual([1, 2]);
    expect(streams[1]!.ids).toEqual([2]);
  });
});
