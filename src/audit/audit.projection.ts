import type { Statement } from 'better-sqlite3';
import type { LogEvent } from '../chronology/events';
import { formatPosition, type RecordedEvent } from '../event-store';
import type { ApplyContext, Projection, ReadDb, TableNamer } from '../projections/projection';
import { auditLeafHash, loggedEvent } from './audit-leaf';
import { appendLeaf, frontierAt, type Frontier, type NodeReader } from './merkle';

/**
 * The audit tree: one leaf per event in global log order, kept incrementally as events are
 * projected. Stored: every leaf (with the position it was recorded at) and every perfect subtree
 * node, so roots and proofs for any size come from O(log n) reads.
 */
export const auditProjection: Projection = {
  name: 'audit',
  version: 1,
  handles: 'all',
  tables: ['leaves', 'nodes'],
  schema: (t) => `
    CREATE TABLE IF NOT EXISTS ${t('leaves')} (
      leaf_index INTEGER PRIMARY KEY, pos_commit INTEGER NOT NULL, pos_prepare INTEGER NOT NULL,
      event_id TEXT NOT NULL, hash BLOB NOT NULL);
    CREATE INDEX IF NOT EXISTS ${t('leaves_by_event')} ON ${t('leaves')} (event_id);
    CREATE TABLE IF NOT EXISTS ${t('nodes')} (
      level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;`,
  bind(db, t) {
    const tree = new AuditTreeTables(db, t);
    let frontier: Frontier | null = null;
    // The leaf commits to the event as stored, not to its decoded (upcast) form.
    return ({ recorded: event }: LogEvent, { seq }: ApplyContext) => {
      const index = seq - 1;
      // The cached frontier is only trusted when it ends right before this leaf (a rolled-back batch resets it).
      if (!frontier || frontier.size !== index) frontier = frontierAt(tree, index);
      const result = appendLeaf(frontier, auditLeafHash(loggedEvent(event)));
      tree.insertLeaf(index, event, result.nodes[0]!.hash);
      for (const node of result.nodes) tree.insertNode(node.level, node.index, node.hash);
      frontier = result.frontier;
    };
  },
};

/** Reads and writes the audit projection's tables; a NodeReader for proofs. */
export class AuditTreeTables implements NodeReader {
  private readonly selectNode: Statement<[number, number], { hash: Buffer }>;
  private readonly insertNodeStmt: Statement<[number, number, Buffer]>;
  private readonly insertLeafStmt: Statement<[number, bigint, bigint, string, Buffer]>;
  private readonly countLeaves: Statement<[], { n: number }>;

  constructor(
    private readonly db: ReadDb,
    private readonly t: TableNamer,
  ) {
    this.selectNode = db.prepare(`SELECT hash FROM ${t('nodes')} WHERE level = ? AND idx = ?`);
    this.insertNodeStmt = db.prepare(
      `INSERT OR REPLACE INTO ${t('nodes')} (level, idx, hash) VALUES (?, ?, ?)`,
    );
    this.insertLeafStmt = db.prepare(
      `INSERT OR REPLACE INTO ${t('leaves')} (leaf_index, pos_commit, pos_prepare, event_id, hash) VALUES (?, ?, ?, ?, ?)`,
    );
    // Leaves are contiguous from 0: the size is one past the last index (a primary-key seek, not a scan).
    this.countLeaves = db.prepare(`SELECT coalesce(max(leaf_index) + 1, 0) AS n FROM ${t('leaves')}`);
  }

  node(level: number, index: number): Buffer {
    const row = this.selectNode.get(level, index);
    if (!row) throw new Error(`audit tree node (${level}, ${index}) is missing`);
    return row.hash;
  }

  insertNode(level: number, index: number, hash: Buffer): void {
    this.insertNodeStmt.run(level, index, hash);
  }

  insertLeaf(index: number, event: RecordedEvent, hash: Buffer): void {
    this.insertLeafStmt.run(index, event.position.commit, event.position.prepare, event.id, hash);
  }

  get size(): number {
    return this.countLeaves.get()?.n ?? 0;
  }

  /** The leaf recorded for an event id (the latest, should an id ever appear twice). */
  leafOf(eventId: string): { index: number; position: string; hash: Buffer } | null {
    const row = this.db
      .prepare<[string], { leaf_index: number; pos_commit: bigint; pos_prepare: bigint; hash: Buffer }>(
        `SELECT leaf_index, pos_commit, pos_prepare, hash FROM ${this.t('leaves')} WHERE event_id = ? ORDER BY leaf_index DESC LIMIT 1`,
      )
      .safeIntegers(true)
      .get(eventId);
    if (!row) return null;
    return {
      index: Number(row.leaf_index),
      position: formatPosition({ commit: row.pos_commit, prepare: row.pos_prepare }),
      hash: row.hash,
    };
  }

  /** Leaves from `fromIndex` on, in order, `limit` at a time. */
  leaves(fromIndex: number, limit: number): Array<{ index: number; position: string; hash: Buffer }> {
    return this.db
      .prepare<
        [number, number],
        { leaf_index: bigint; pos_commit: bigint; pos_prepare: bigint; hash: Buffer }
      >(
        `SELECT leaf_index, pos_commit, pos_prepare, hash FROM ${this.t('leaves')} WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?`,
      )
      .safeIntegers(true)
      .all(fromIndex, limit)
      .map((r) => ({
        index: Number(r.leaf_index),
        position: formatPosition({ commit: r.pos_commit, prepare: r.pos_prepare }),
        hash: r.hash,
      }));
  }
}
