import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface CheckpointerOptions {
  /** The checkpointing connection's own level: its syncs are the ones that make a checkpoint durable. */
  readonly synchronous: 'FULL' | 'NORMAL';
  /** How often a PASSIVE checkpoint runs (one with nothing to copy costs next to nothing). */
  readonly intervalMs?: number;
}

/** Longest wait at close for the worker's last checkpoint (it takes milliseconds). */
const STOP_WAIT_MS = 5000;

/** The page count SQLite's own automatic checkpoint uses; put back if the worker ever stops. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

// Plain JavaScript, run with `eval` so it works the same from compiled output and from ts sources
// under jest. Timed checkpoints use `exec` (no statement object, see the Node 24 note in sqlite.ts);
// checkpoints a writer asks for read the result through one statement kept for the worker's life.
// `closed` (shared memory) turns 1 once the worker's connection is closed, or could not be opened.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const closed = new Int32Array(workerData.closed);
const done = () => { Atomics.store(closed, 0, 1); Atomics.notify(closed, 0); };
let db;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA synchronous = ' + workerData.synchronous + ';');
} catch (e) {
  done();
  throw e;
}
let failing = false; // reported once when it starts failing and once when it works again
let passive = null; // the one statement this worker prepares, for checkpoints asked by the writer
const checkpoint = () => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    if (failing) { failing = false; parentPort.postMessage({ recovered: true }); }
  } catch (e) {
    if (!failing) { failing = true; parentPort.postMessage({ error: String(e && e.message || e) }); }
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m && m.restart !== undefined) {
    // Asked by a writer that waits meanwhile: with no commit coming in, a PASSIVE checkpoint copies
    // every frame no reader still needs, and the writer's next commit then starts the WAL over.
    // PASSIVE takes no write lock and never waits for readers (RESTART would hold the write lock
    // and make any other writer wait in SQLite's busy handler, on the event loop).
    let error = null;
    let complete = false;
    try {
      passive ??= db.prepare('PRAGMA wal_checkpoint(PASSIVE)').raw(); // kept: see the Node 24 note in sqlite.ts
      const [busy, log, done] = passive.get();
      complete = busy === 0 && log === done;
    } catch (e) { error = String(e && e.message || e); }
    parentPort.postMessage({ restarted: m.restart, complete, error });
    return;
  }
  if (m !== 'stop') return;
  clearInterval(timer);
  try {
    checkpoint();
    db.close();
  } finally {
    done();
    parentPort.close();
  }
});
`;

/**
 * Moves a WAL database's checkpoints off the event loop. SQLite's automatic checkpoint runs inside
 * whichever COMMIT crosses 1,000 WAL pages, copying the pages and syncing both files right there:
 * with read models that touch many index pages per event, that is a 20-30 ms stall every few dozen
 * events on the thread that also serves HTTP and the live feeds. Here a worker thread with its own
 * connection runs PASSIVE checkpoints on a timer (they never block the writer), and the main
 * connection's automatic checkpoint is turned off while the worker runs. Durability is unchanged:
 * a commit is durable once in the WAL, whoever copies it back later.
 */
export class WalCheckpointer {
  private readonly logger = new Logger('Sqlite');
  private readonly worker: Worker;
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  private stopping = false;
  private restarts = 0;
  private readonly waiting = new Map<number, (complete: boolean) => void>();

  constructor(
    private readonly db: Database.Database,
    file: string,
    options: CheckpointerOptions,
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        file,
        synchronous: options.synchronous,
        intervalMs: options.intervalMs ?? 200,
        closed: this.closed.buffer,
      },
    });
    this.worker.unref(); // never what keeps a process alive
    type Message = { error?: string | null; recovered?: boolean; restarted?: number; complete?: boolean };
    this.worker.on('message', (m: Message) => {
      if (m.restarted !== undefined) {
        if (m.error) this.logger.warn(`a full checkpoint of ${file} failed (${m.error})`);
        this.release(m.restarted, m.complete ?? false);
        return;
      }
      if (m.error) this.logger.warn(`background checkpoints of ${file} fail (${m.error}); retrying`);
      if (m.recovered) this.logger.log(`background checkpoints of ${file} work again`);
    });
    this.worker.on('error', (e) => this.fallBack(`failed: ${e.message}`));
    this.worker.on('exit', (code) => {
      if (!this.stopping) this.fallBack(`exited (${code})`);
    });
    db.exec('PRAGMA wal_autocheckpoint = 0');
  }

  /**
   * A full checkpoint now, for a writer that pauses until it is done (the loop stays free): a
   * writer that commits every few milliseconds never lets a PASSIVE checkpoint catch up with it,
   * so the WAL is never started over and grows for as long as the writing lasts (15 GB over a
   * catch-up of a million events).
   */
  restart(): Promise<boolean> {
    if (this.stopping) return Promise.resolve(false);
    const id = ++this.restarts;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ restart: id });
    });
  }

  /** Resolves the waiters (one, or all), saying whether the checkpoint copied every frame. */
  private release(id?: number, complete = false): void {
    for (const [key, resolve] of this.waiting) {
      if (id !== undefined && key !== id) continue;
      this.waiting.delete(key);
      resolve(complete);
    }
  }

  /**
   * Has the worker run a last checkpoint and close its connection, and waits (at most
   * STOP_WAIT_MS) until it has: once the database is closed nothing touches its files any more,
   * so they can be copied or removed at once (the last connection to close removes the WAL).
   */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.worker.postMessage('stop');
    Atomics.wait(this.closed, 0, 0, STOP_WAIT_MS);
    this.release();
  }

  private fallBack(why: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.error(`the background checkpointer ${why}; SQLite checkpoints in commits again`);
    this.release();
    if (this.db.open) this.db.exec(`PRAGMA wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  }
}
