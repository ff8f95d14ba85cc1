import { PublishPacer } from './publish-pacer';

/** Events arriving every `gap` ms from `from`, each followed by a publish taking `publishMs`. */
function steady(pacer: PublishPacer, from: number, gap: number, count: number, publishMs: number): number {
  let t = from;
  for (let i = 0; i < count; i++) {
    pacer.arrived(t);
    pacer.published(t + 1, t + 1 + publishMs);
    t += gap;
  }
  return t;
}

describe('PublishPacer', () => {
  it('never holds a batch while publishing is cheap, however fast events come', () => {
    const pacer = new PublishPacer();
    const t = steady(pacer, 0, 2, 50, 0.5);
    pacer.arrived(t);
    expect(pacer.waitMs(t)).toBe(0);
    expect(pacer.held).toBe(0);
  });

  it('does not hold events that arrive slower than a publish takes, even if publishing keeps the loop busy', () => {
    const pacer = new PublishPacer();
    // 25 events/s, each publish 30 ms: the loop is 75% busy publishing, yet each event can go at once.
    const t = steady(pacer, 0, 40, 30, 30);
    pacer.arrived(t);
    expect(pacer.waitMs(t + 1)).toBe(0);
    expect(pacer.held).toBe(0);
  });

  it('holds the next batch until D ms after the last publish ended when events come faster than D', () => {
    const pacer = new PublishPacer();
    // 50 events/s, each publish 30 ms: one publish per event would fall behind.
    let t = steady(pacer, 0, 20, 20, 30);
    pacer.arrived(t);
    pacer.published(t, t + 30); // ended at t + 30, took 30 ms
    t += 35;
    pacer.arrived(t);
    expect(pacer.waitMs(t)).toBeCloseTo(25, 6); // until t + 60
    expect(pacer.held).toBe(1);
    // Past the hold, nothing more to wait for.
    expect(pacer.waitMs(t + 30)).toBe(0);
    expect(pacer.held).toBe(1);
  });

  it('stops holding once the rate drops below what one publish per event can carry', () => {
    const pacer = new PublishPacer();
    let t = steady(pacer, 0, 20, 20, 30);
    pacer.arrived(t);
    expect(pacer.waitMs(t + 1)).toBeGreaterThan(0);
    // Then one event every 100 ms: within a window of arrivals the mean gap is past 30 ms again.
    t = steady(pacer, t + 100, 100, 16, 30);
    pacer.arrived(t);
    expect(pacer.waitMs(t + 1)).toBe(0);
  });
});
