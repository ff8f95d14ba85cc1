import { CRISIS, REGISTRY, REPORTS } from '../fixtures/chronology.fixtures';
import { TestApp, metricValue } from './harness';

/** Events applied since this instance started (0 when none: the counter has no label set yet). */
function appliedTotal(metrics: string): number {
  return metricValue(metrics, 'chronology_projection_events_applied_total') || 0;
}

describe('restart on the same data dir', () => {
  it('keeps everything, and the projections resume from their checkpoints without replaying', async () => {
    let t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    let last = '';
    for (const r of REPORTS) last = (await t.append(r.type, r.data)).position;
    const before = await t.get(`/v1/timeline?crisis=${CRISIS}&limit=200&minPosition=${last}`);
    expect(before.body.items).toHaveLength(REPORTS.length);
    const actorBefore = (await t.get('/v1/actors/russia')).body;
    expect(appliedTotal((await t.get('/metrics')).text)).toBeGreaterThan(REPORTS.length);

    t = await t.restart();
    try {
      const health = (await t.get('/health')).body;
      expect(health.projections).toMatchObject({ position: last, behind: false, state: 'live' });
      const after = await t.get(`/v1/timeline?crisis=${CRISIS}&limit=200`);
      expect(after.body.items).toEqual(before.body.items);
      expect((await t.get('/v1/actors/russia')).body).toEqual({ ...actorBefore, position: last });
      // Nothing was applied again after the restart: the checkpoints covered every event.
      expect(appliedTotal((await t.get('/metrics')).text)).toBe(0);

      const next = await t.append('StatementMade', { ...REPORTS[6]!.data, summary: 'after the restart' });
      const res = await t.get(`/v1/entries/${next.entryId}?minPosition=${next.position}`);
      expect(res.body.summary).toBe('after the restart');
      expect(appliedTotal((await t.get('/metrics')).text)).toBe(1);
    } finally {
      await t.close();
    }
  });
});
