import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLocked } from '../../src/shared/data-dir-lock';
import { openSqlite } from '../../src/shared/sqlite';
import { TestApp } from './harness';
import { ServiceProcess } from './service-process';

/** Events in the data dir's log, read through a read-only connection of this process. */
function logSize(dir: string): number {
  const db = openSqlite(join(dir, 'events.db'), { synchronous: 'NORMAL', readonly: true });
  try {
    return Number(db.prepare('SELECT count(*) FROM events').pluck().get());
  } finally {
    db.close();
  }
}

describe('one process per DATA_DIR', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'chronology-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a second process on a held data dir exits at once, naming the holder, and writes nothing', async () => {
    const first = await ServiceProcess.start(dir);
    try {
      expect(readFileSync(join(dir, 'instance.pid'), 'utf8').trim()).toBe(String(first.pid));
      const before = logSize(dir);
      expect(before).toBeGreaterThan(0);
      const second = await ServiceProcess.spawn(dir);
      const exit = await Promise.race([
        second.exited,
        new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000)),
      ]);
      await second.kill();
      expect(exit).toBe(1);
      expect(second.output).toContain(
        `is in use by another Crisis Chronology process (pid ${first.pid}, from instance.pid)`,
      );
      expect(second.output).not.toMatch(/listening on/);
      // The second wrote nothing (not even its admin key), and the holder still serves.
      expect(logSize(dir)).toBe(before);
      expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);

      // kill -9 leaves the pid file behind, but the kernel drops the lock: the next one starts.
      await first.kill();
      const third = await ServiceProcess.start(dir);
      expect(readFileSync(join(dir, 'instance.pid'), 'utf8').trim()).toBe(String(third.pid));
      await third.kill();
    } finally {
      await first.kill();
    }
  }, 120_000);

  it('two instances in one process exclude each other too, and close() lets the next one in', async () => {
    const t = await TestApp.start({}, dir);
    await expect(TestApp.start({}, dir)).rejects.toBeInstanceOf(DataDirLocked);
    const again = await t.restart(); // closes, then opens the same data dir
    expect((await again.get('/health/ready')).status).toBe(200);
    await again.close({ keepData: true });
  });
});
