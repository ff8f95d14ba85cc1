import { positionOf, type RecordedEvent } from '../event-store';
import { AppliedStream } from './applied-stream';

const event = (n: number): RecordedEvent => ({
  id: `e${n}`,
  stream: 's',
  revision: BigInt(n - 1),
  position: positionOf(BigInt(n)),
  type: 'T',
  schemaVersion: 1,
  data: {},
  metadata: { recordedAt: '2026-01-01T00:00:00.000Z', principal: 'p', correlationId: 'c', causationId: null },
});

describe('AppliedStream', () => {
  it('tells listeners in subscription order; one that throws stops neither the others nor the stream', () => {
    const stream = new AppliedStream<RecordedEvent>();
    const seen: string[] = [];
    stream.subscribe(() => seen.push('first'));
    stream.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = stream.subscribe((b) => seen.push(`third ${b.firstSeq}`));
    stream.publish({ events: [event(1), event(2)], firstSeq: 1 });
    expect(seen).toEqual(['first', 'third 1']);
    expect(stream.appliedSeq).toBe(2);
    expect(stream.position).toEqual(positionOf(2n));
    unsubscribe();
    stream.publish({ events: [event(3)], firstSeq: 3 });
    expect(seen).toEqual(['first', 'third 1', 'first']);
  });

  it('releases a waiter when its position is published, resumed at, or the runner ends', async () => {
    const stream = new AppliedStream<RecordedEvent>();
    const byPublish = stream.waitFor(positionOf(2n), 10_000);
    stream.publish({ events: [event(1)], firstSeq: 1 });
    stream.publish({ events: [event(2)], firstSeq: 2 });
    await expect(byPublish).resolves.toBe(true);

    const byResume = stream.waitFor(positionOf(5n), 10_000);
    stream.resumeAt(positionOf(7n), 7);
    await expect(byResume).resolves.toBe(true);

    const byEnd = stream.waitFor(positionOf(9n), 10_000);
    stream.end();
    await expect(byEnd).resolves.toBe(false);
    await expect(stream.waitFor(positionOf(3n), 10_000)).resolves.toBe(true);
  });

  it('gives up after the timeout', async () => {
    const stream = new AppliedStream<RecordedEvent>();
    await expect(stream.waitFor(positionOf(1n), 20)).resolves.toBe(false);
  });
});
