import { PublishPacer, RecentLoopUtilization, type LoopMeter } from './publish-pacer';

/** A loop whose utilisation the spec sets. */
class FakeLoop implements LoopMeter {
  value = 0;
  utilization(): number {
    return this.value;
  }
}

describe('PublishPacer', () => {
  it('on a saturated loop, holds the next batch until D ms after the last publish ended', () => {
    const loop = new FakeLoop();
    const pacer = new PublishPacer(loop);
    loop.value = 0.97;
    pacer.published(100, 130); // took 30 ms, ended at 130
    expect(pacer.waitMs(135)).toBeCloseTo(25, 6); // until 160
    expect(pacer.held).toBe(1);
    expect(pacer.waitMs(160)).toBe(0); // the hold has run out
    expect(pacer.held).toBe(1);
  });

  it('never holds below saturation, however much of the loop publishing takes', () => {
    const loop = new FakeLoop();
    const pacer = new PublishPacer(loop);
    // 25 events/s with 30 ms fan-outs: the loop is 75% busy, and each event can still go at once.
    loop.value = 0.75;
    pacer.published(100, 130);
    expect(pacer.waitMs(131)).toBe(0);
    expect(pacer.held).toBe(0);
  });

  it('never holds when publishing is cheap (few subscribers), however busy the loop', () => {
    const loop = new FakeLoop();
    const pacer = new PublishPacer(loop);
    loop.value = 1;
    pacer.published(100, 100.4);
    expect(pacer.waitMs(100.5)).toBe(0);
    expect(pacer.held).toBe(0);
  });
});

describe('RecentLoopUtilization', () => {
  it('reports the share of the last window the loop was busy', async () => {
    const meter = new RecentLoopUtilization();
    const start = performance.now();
    for (const until = start + 600; performance.now() < until;); // busy for a whole window
    expect(meter.utilization(performance.now())).toBeGreaterThan(0.9);
    await new Promise((r) => setTimeout(r, 600)); // idle for the next one
    expect(meter.utilization(performance.now())).toBeLessThan(0.5);
  });
});
