import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { WalCheckpointer } from './wal-checkpointer';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  /**
   * FULL: every commit is synced before it returns (the audit checkpoint file). NORMAL: in WAL mode,
   * commits are synced later; enough for read models, and for the event log, whose WalSync syncs the
   * WAL before anything is acknowledged.
   */
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly readonly?: boolean;
  /**
   * 'background': checkpoints run in a worker thread instead of inside commits (see
   * WalCheckpointer); for the busy files of a running service. Default: SQLite's own.
   */
  readonly checkpoints?: 'background' | 'in-commit';
  /**
   * This connection's page cache in MiB (better-sqlite3 builds SQLite with 16). A connection that
   * reads a large file at random (the read models) re-reads every page it evicted through a system
   * call.
   */
  readonly cacheMb?: number;
}

/**
 * better-sqlite3 12 on Node 24 can abort the whole process when V8 collects one of its native
 * objects (a database, statement or iterator) at a moment with no current Node environment
 * (`Assertion failed: (env) != nullptr` in RemoveEnvironmentCleanupHook, WiseLibs/better-sqlite3#1515;
 * gone in 13.x, which needs Node 22+). So none is ever left for the collector: every database is
 * kept for the life of the process, each keeps its prepared statements by SQL text, and pragmas
 * are set with exec (no statement object).
 */
const kept: unknown[] = [];
const MAX_CACHED_STATEMENTS = 4096;

/** Keeps a better-sqlite3 object (e.g. an iterator) from ever being collected; see above. */
export function keepAlive<T>(value: T): T {
  kept.push(value);
  return value;
}

function cacheStatements(db: SqliteDatabase): void {
  const prepareNew = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    if (cached) {
      // Undo modes a previous caller set (safeIntegers, raw, pluck, expand) so each caller starts clean.
      cached.safeIntegers(false);
      if (cached.reader) cached.raw(false).pluck(false).expand(false);
      return cached;
    }
    const statement = prepareNew(sql);
    if (cache.size < MAX_CACHED_STATEMENTS) cache.set(sql, statement);
    else keepAlive(statement);
    return statement;
  }) as SqliteDatabase['prepare'];
}

const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

const checkpointers = new WeakMap<
  SqliteDatabase,
  { checkpointer: WalCheckpointer; wal: string; lastIncomplete: number }
>();
/** After a checkpoint readers kept from completing, how long before asking again. */
const RELIEF_BACKOFF_MS = 1000;

/**
 * For a writer that commits batch after batch (a catch-up, a rebuild), between two batches: when the
 * WAL of a file checkpointed in the background has grown past the size limit, waits until the
 * checkpointer has copied what no reader still needs, so that the next commit can start it over.
 * Resolves at once otherwise (one stat).
 */
export function relieveWal(db: SqliteDatabase): Promise<void> {
  const entry = checkpointers.get(db);
  if (!entry) return Promise.resolve();
  let size = 0;
  try {
    size = statSync(entry.wal).size;
  } catch {
    return Promise.resolve(); // no WAL yet
  }
  if (size <= WAL_SIZE_LIMIT_BYTES || Date.now() - entry.lastIncomplete < RELIEF_BACKOFF_MS) {
    return Promise.resolve();
  }
  return entry.checkpointer.restart().then((complete) => {
    // A reader of an older snapshot (a long read in a worker) keeps frames it needs: the WAL can
    // only start over once it is done, so batches go on meanwhile instead of asking every time.
    if (!complete) entry.lastIncomplete = Date.now();
  });
}

/** Opens a SQLite file with the pragmas every database of the service uses. */
export function openSqlite(file: string, options: OpenOptions): SqliteDatabase {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = keepAlive(
    new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    }),
  );
  cacheStatements(db);
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA trusted_schema = OFF;');
  if (options.cacheMb !== undefined) db.exec(`PRAGMA cache_size = -${Math.round(options.cacheMb * 1024)};`);
  if (!options.readonly) {
    // Always explicit: better-sqlite3 puts WAL files at NORMAL, which alone can lose acknowledged
    // writes on power loss; each file says what it needs (see OpenOptions.synchronous).
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous};`);
    // A WAL keeps the size of its largest burst (a catch-up, a rebuild) unless limited: once
    // checkpointed, it is cut back to this when the next write starts it over.
    db.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES};`);
    if (options.checkpoints === 'background' && file !== ':memory:') {
      const checkpointer = new WalCheckpointer(db, file, { synchronous: options.synchronous });
      checkpointers.set(db, { checkpointer, wal: `${file}-wal`, lastIncomplete: 0 });
      const close = db.close.bind(db);
      db.close = () => {
        checkpointer.stop();
        return close();
      };
    }
  }
  return db;
}

/**
 * A pragma's value through the statement cache: better-sqlite3's own `pragma()` prepares a new
 * statement each call and leaves it to the collector (see the Node 24 note above).
 */
export function readPragma(db: SqliteDatabase, name: string): unknown {
  return db.prepare(`PRAGMA ${name}`).pluck().get();
}

/**
 * A failure of the storage rather than of the statement: disk or quota full, a read-only file or
 * directory, an I/O error, a lock held elsewhere. Nothing of the failed transaction is kept, and the
 * same work can succeed once the storage is back. Known by name and code, not `instanceof` (not
 * even `instanceof Error`): the native addon is loaded once per process and throws the SqliteError
 * class of whichever copy of the module loaded it first, from that copy's realm (under jest, each
 * test file has its own copy and its own globals).
 */
export function isStorageFailure(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return (
    name === 'SqliteError' &&
    typeof code === 'string' &&
    /^SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|NOMEM)/.test(code)
  );
}
