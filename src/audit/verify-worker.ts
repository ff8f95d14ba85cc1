import { parentPort, workerData } from 'node:worker_threads';
import type { EventStoreConfig } from '../config';
import { openLogReader } from '../event-store';
import { openSqlite } from '../shared/sqlite';
import { exportLines } from './audit-export';
import { openAuditTree } from './audit-tree';
import { verifyExport } from './verify-log';

/** What the full verification worker is started with. */
export interface VerifyWorkerData {
  readonly eventStore: EventStoreConfig;
  readonly readDbFile: string;
  /** Leaves to check: the tree's size when the run was asked for. */
  readonly size: number;
  /** Signed roots, their signatures already checked by the service. */
  readonly trusted: ReadonlyArray<{ size: number; rootHash: string }>;
}

// One whole-log verification on connections of its own, read-only, then the report and exit: the
// service's event loop keeps serving while the log is hashed again.
async function run(data: VerifyWorkerData): Promise<unknown> {
  const reader = openLogReader(data.eventStore);
  if (!reader) throw new Error('this store has no read-only reader for a worker');
  const db = openSqlite(data.readDbFile, { synchronous: 'NORMAL', readonly: true });
  try {
    const trusted = data.trusted.map((t) => ({ size: t.size, rootHash: Buffer.from(t.rootHash, 'base64') }));
    return await verifyExport(exportLines(reader, openAuditTree(db), data.size), trusted);
  } finally {
    reader.close();
    db.close();
  }
}

run((workerData as { data: VerifyWorkerData }).data).then(
  (report) => parentPort!.postMessage({ report }),
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) }),
);
