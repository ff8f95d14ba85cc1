import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp } from './harness';
import { TAMPERINGS, openForTampering } from './tamper';

/** Polls /health until the audit check has left `pending`; returns it. */
async function auditCheck(t: TestApp, until: (state: string) => boolean = (s) => s !== 'pending') {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = await t.get('/health');
    const audit = health.body.checks?.audit;
    if (audit && until(audit.state)) return { audit, health: health.body };
    if (Date.now() > deadline) throw new Error(`audit check still ${JSON.stringify(audit)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function metric(t: TestApp): Promise<string | undefined> {
  const text = (await t.get('/metrics')).text;
  return /chronology_check_healthy\{check="audit"\} (\d)/.exec(text)?.[1];
}

describe('tamper evidence without being asked: the log is checked at start and periodically', () => {
  jest.setTimeout(120_000);

  /** A service with the sample loaded and checkpointed, stopped with its data kept. */
  async function stoppedSample(): Promise<{ dataDir: string; total: number }> {
    const t = await TestApp.start({ LOAD_SAMPLE: 'true', AUDIT_CHECKPOINT_EVERY: '7' });
    const total = Number(await t.head());
    await t.get(`/v1/timeline?minPosition=${total}`);
    expect((await t.get('/v1/audit/checkpoint')).body.size).toBe(total);
    await t.close({ keepData: true });
    return { dataDir: t.dataDir, total };
  }

  function tamper(dataDir: string, total: number): number {
    const db = openForTampering(join(dataDir, 'events.db'));
    const bad = TAMPERINGS['change one byte of an event’s data']!(db, total);
    db.close();
    return bad;
  }

  it('an untouched log: audit ok after the check at start, ready, metric 1', async () => {
    const t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    try {
      const { audit, health } = await auditCheck(t);
      expect(audit).toMatchObject({ state: 'ok', scope: 'start' });
      expect(health.ready).toBe(true);
      expect((await t.get('/health/ready')).status).toBe(200);
      expect(await metric(t)).toBe('1');
    } finally {
      await t.close();
    }
  });

  it('an event altered in place is found by the periodic verification, in a worker, naming its position', async () => {
    const { dataDir, total } = await stoppedSample();
    const bad = tamper(dataDir, total);
    const t = await TestApp.start({ AUDIT_VERIFY_INTERVAL_SECONDS: '1' }, dataDir);
    try {
      const { audit, health } = await auditCheck(t, (s) => s === 'failed');
      expect(audit).toMatchObject({ state: 'failed', scope: 'full', failedAt: String(bad) });
      expect(audit.problem).toMatch(/is not the one logged there/);
      expect(health).toMatchObject({ status: 'degraded', ready: false });
      const ready = await t.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(await metric(t)).toBe('0');
      // Liveness still answers, and reads are still served: the service reports, it does not stop.
      expect((await t.get('/health')).status).toBe(200);
      expect((await t.get('/v1/timeline?limit=1')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('a tree rebuilt from an altered log fails the check at start, before any periodic run', async () => {
    const { dataDir, total } = await stoppedSample();
    tamper(dataDir, total);
    rmSync(join(dataDir, 'read-models.db'));
    const t = await TestApp.start({}, dataDir);
    try {
      const { audit } = await auditCheck(t);
      expect(audit).toMatchObject({ state: 'failed', scope: 'start', failedAt: null });
      expect(audit.problem).toMatch(/no longer builds the root signed at size \d+/);
      expect((await t.get('/health/ready')).status).toBe(503);
    } finally {
      await t.close();
    }
  });

  it('a deleted checkpoint history is a failure until an operator accepts a new one', async () => {
    const { dataDir, total } = await stoppedSample();
    tamper(dataDir, total);
    rmSync(join(dataDir, 'read-models.db'));
    rmSync(join(dataDir, 'audit-checkpoints.db'));
    let t = await TestApp.start({}, dataDir);
    try {
      const { audit } = await auditCheck(t);
      expect(audit.state).toBe('history-missing');
      expect(audit.problem).toMatch(/checkpoint history is missing: .*up to position \d+/);
      expect((await t.get('/health/ready')).status).toBe(503);
      await t.get(`/v1/timeline?minPosition=${total}`);
      const verify = await t.get('/v1/audit/verify');
      expect(verify.status).toBe(409);
      expect(verify.body).toMatchObject({ code: 'log_altered' });
      expect(verify.body.detail).toMatch(/checkpoint history is missing/);
      const checkpoint = await t.get('/v1/audit/checkpoint');
      expect(checkpoint.status).toBe(404); // nothing is signed over a log whose history is gone
      expect(checkpoint.body.detail).toMatch(/checkpoint history is missing/);
    } finally {
      await t.close({ keepData: true });
    }
    // Restarting does not forget it: the file records where its history began.
    t = await TestApp.start({}, dataDir);
    try {
      expect((await auditCheck(t)).audit.state).toBe('history-missing');
    } finally {
      await t.close({ keepData: true });
    }
    t = await TestApp.start({ AUDIT_ACCEPT_MISSING_HISTORY: 'true' }, dataDir);
    try {
      expect((await auditCheck(t)).audit.state).toBe('ok');
      expect((await t.get('/v1/audit/checkpoint')).body.size).toBe(total);
    } finally {
      await t.close({ keepData: true });
    }
    // Accepted once, recorded in the file: later starts need no flag.
    t = await TestApp.start({}, dataDir);
    try {
      expect((await auditCheck(t)).audit.state).toBe('ok');
    } finally {
      await t.close();
    }
  });
});
