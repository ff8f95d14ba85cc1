import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { openSqlite } from '../../shared/sqlite';
import { READ_MODEL_CACHE_MB } from '../projection';
import { setCursorKey } from '../cursor';
import { createReaders, type ReaderName } from './readers';
import type { ReadRequest, ReadResponse, WorkerData } from './read-protocol';

// A read worker: one read-only connection to the read models and the readers over it. Requests
// come one at a time (the pool never sends a second before the first is answered); each runs in
// one read transaction, so all of its queries see the same committed state.
const { file, cursorKey } = (workerData as { data: WorkerData }).data;
setCursorKey(cursorKey);
const db = openSqlite(file, { synchronous: 'NORMAL', readonly: true, cacheMb: READ_MODEL_CACHE_MB });
const readers = createReaders(db);
const port = parentPort!;

async function run({ reader, method, args }: ReadRequest): Promise<unknown> {
  const target = readers[reader as ReaderName] as unknown as Record<string, (...a: unknown[]) => unknown>;
  const fn = target[method];
  if (typeof fn !== 'function') throw new Error(`no reader method ${reader}.${method}`);
  db.exec('BEGIN');
  try {
    return await fn.apply(target, args);
  } finally {
    // Read-only: ending it by rollback loses nothing, and works after SQLite ended it itself.
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

port.on('message', (message: ReadRequest | 'stop') => {
  if (message === 'stop') {
    db.close();
    port.close();
    return;
  }
  run(message)
    .finally(() => {
      // A connection left in a transaction would fail every later read: let the pool replace it.
      if (db.inTransaction) process.exit(1);
    })
    .then(
      (value) =>
        port.postMessage({ id: message.id, json: JSON.stringify(value) ?? 'null' } satisfies ReadResponse),
      (e: unknown) => {
        const error: ReadResponse['error'] =
          e instanceof AppError
            ? { app: { code: e.code, message: e.message, extensions: e.extensions, headers: e.headers } }
            : { message: e instanceof Error ? e.message : String(e), stack: (e as Error)?.stack };
        port.postMessage({ id: message.id, error } satisfies ReadResponse);
      },
    );
});
port.postMessage('ready');
