import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keepAlive } from './sqlite';

export const LOCK_FILE = 'instance.lock';
export const PID_FILE = 'instance.pid';

/** Another process (or another instance in this one) holds the data dir. */
export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    /** As recorded in instance.pid by the holder; null when unknown or when it is this process. */
    readonly holderPid: number | null,
    inThisProcess = false,
  ) {
    const holder = inThisProcess
      ? 'another instance in this process'
      : `another Crisis Chronology process${holderPid === null ? '' : ` (pid ${holderPid}, from instance.pid)`}`;
    super(`DATA_DIR ${dataDir} is in use by ${holder}; stop it, or give this one another DATA_DIR`);
  }
}

/** Data dirs held by this process (the pid cannot tell: in a container every service may be pid 1). */
const heldHere = new Set<string>();

export interface DataDirLock {
  /** Releases the lock (the kernel releases it anyway when the process ends, kill -9 included). */
  release(): void;
}

/**
 * Takes an exclusive lock on the data dir for the life of this process: one writer per event log,
 * read-model file and checkpoint file. The lock is SQLite's own POSIX advisory lock on
 * `instance.lock`, held through an open exclusive transaction, so it is the kernel that holds it and
 * drops it when the process dies, however it dies; SQLite also makes two connections of one process
 * exclude each other. The holder's pid goes beside it in `instance.pid`, only to name it in the
 * refusal; the lock, not that file, decides.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  if (heldHere.has(dir)) throw new DataDirLocked(dataDir, null, true);
  mkdirSync(dataDir, { recursive: true });
  // Kept from the collector like every database of the service (see shared/sqlite.ts).
  const db = keepAlive(new Database(join(dataDir, LOCK_FILE), { timeout: 0 }));
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DataDirLocked(dataDir, holderPid(dataDir));
    }
    throw e;
  }
  writeFileSync(join(dataDir, PID_FILE), `${process.pid}\n`);
  heldHere.add(dir);
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      heldHere.delete(dir);
      db.close();
    },
  };
}

function holderPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
