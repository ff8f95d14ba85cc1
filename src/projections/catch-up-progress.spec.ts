import { BatchSizer, ProgressMeter } from './catch-up-progress';

describe('BatchSizer', () => {
  it('sizes the next batch to the target time: shrinks at once, grows at most twofold, within bounds', () => {
    const sizer = new BatchSizer(15, 16, 1000);
    expect(sizer.size).toBe(16);
    sizer.observe(16, 1.6); // 0.1 ms an event: 150 would take 15 ms, but growth is capped
    expect(sizer.size).toBe(32);
    sizer.observe(32, 3.2);
    expect(sizer.size).toBe(64);
    sizer.observe(64, 64); // 1 ms an event
    expect(sizer.size).toBe(16); // 15 would do; not below the floor
    for (let i = 0; i < 10; i++) sizer.observe(sizer.size, sizer.size * 0.001);
    expect(sizer.size).toBe(1000);
    sizer.observe(1000, 300); // 0.3 ms an event
    expect(sizer.size).toBe(50);
    sizer.observe(0, 100); // nothing learned
    expect(sizer.size).toBe(50);
  });
});

describe('ProgressMeter', () => {
  it('counts events and gives the rate over its recent window', () => {
    const t0 = 1_000_000;
    const meter = new ProgressMeter(t0);
    expect(meter.rate(t0)).toBeNull();
    meter.add(1000, t0 + 1000);
    expect(meter.events).toBe(1000);
    expect(meter.rate(t0 + 1000)).toBeCloseTo(1000, -2);
    for (let s = 2; s <= 30; s++) meter.add(5000, t0 + s * 1000);
    // The first seconds' slow pace has left the 10-second window.
    expect(meter.rate(t0 + 30_000)).toBeGreaterThan(4500);
    expect(meter.snapshot()).toMatchObject({ events: 1000 + 29 * 5000 });
  });
});
