import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, readPragma, relieveWal, type SqliteDatabase } from './sqlite';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes ~8 MB (about 2,000 pages) in 200 small commits. */
function fill(db: SqliteDatabase): void {
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (randomblob(4000))');
  for (let i = 0; i < 200; i++)
    db.transaction(() => {
      for (let j = 0; j < 10; j++) insert.run();
    })();
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (check()) return true;
  return check();
}

describe('background WAL checkpoints', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'chronology-wal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed pages into the database file while the writer never checkpoints itself', async () => {
    const file = join(dir, 'bg.db');
    const db = openSqlite(file, { synchronous: 'NORMAL', checkpoints: 'background' });
    expect(readPragma(db, 'wal_autocheckpoint')).toBe(0);
    fill(db);
    // Only the worker can have moved the ~8 MB from the WAL into the main file.
    expect(await until(() => statSync(file).size > 7_000_000, 10_000)).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
    db.close();
    const again = openSqlite(file, { synchronous: 'NORMAL' });
    expect(again.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
    expect(readPragma(again, 'integrity_check')).toBe('ok');
    again.close();
  });

  it('is closed when the database is: its files can be removed at once', () => {
    const file = join(dir, 'closing.db');
    const db = openSqlite(file, { synchronous: 'NORMAL', checkpoints: 'background' });
    fill(db);
    db.close();
    // The writer's connection closed last, so SQLite checkpointed and removed the WAL itself: the
    // worker's connection was already closed (had it been open, the WAL would still be there).
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
    rmSync(dir, { recursive: true });
    expect(existsSync(dir)).toBe(false);
  });

  it('without it, a writer whose automatic checkpoint is off leaves everything in the WAL', async () => {
    // The control for the test above: the main file only grows when someone checkpoints.
    const file = join(dir, 'fg.db');
    const db = openSqlite(file, { synchronous: 'NORMAL' });
    db.exec('PRAGMA wal_autocheckpoint = 0');
    fill(db);
    await sleep(600);
    expect(statSync(file).size).toBeLessThan(1_000_000);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(7_000_000);
    db.close();
  });

  it('keeps the WAL near its size limit for a writer that relieves it between batches', async () => {
    const file = join(dir, 'steady.db');
    const db = openSqlite(file, { synchronous: 'NORMAL', checkpoints: 'background' });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (randomblob(4000))');
    const batch = db.transaction(() => {
      for (let j = 0; j < 250; j++) insert.run();
    });
    let largest = 0;
    // ~200 MB in 1 MB commits, back to back: a PASSIVE checkpoint alone never catches up with it.
    for (let i = 0; i < 200; i++) {
      batch();
      largest = Math.max(largest, statSync(`${file}-wal`).size);
      await relieveWal(db);
    }
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 50_000 });
    expect(largest).toBeLessThan(72 * 1024 * 1024); // the 64 MiB limit and one batch
    db.close();
  }, 60_000);
});
