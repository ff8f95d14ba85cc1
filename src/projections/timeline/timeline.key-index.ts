import type { ReadDb, TableNamer } from '../projection';
import type { TimelineDoc } from './timeline.doc';
import type { SortKey } from './timeline.order';
import {
  COUNT_SEP,
  countsOf,
  disputeRows,
  entryKey,
  keyValues,
  splitCount,
  type Ancestry,
} from './timeline.keys';

/** Where an actor sits: its parent and the bodies it is a member of. */
export interface Parents {
  readonly parentId?: string;
  readonly memberOf: readonly string[];
}

/** An entry's document and sort key. */
export interface Keyed {
  readonly doc: TimelineDoc;
  readonly key: SortKey;
}

type KeyRow = readonly [
  dim: string,
  value: string,
  span: number,
  sortMs: number,
  sortTie: number,
  startMs: number,
  endMs: number,
];

/** What an entry contributes to the index: key rows, counters and dispute rows, by identity. */
interface Contribution {
  readonly keys: Map<string, KeyRow>;
  readonly counts: Map<string, number>;
  readonly disputes: Map<string, readonly [string, string, number]>;
}

const EMPTY: Contribution = { keys: new Map(), counts: new Map(), disputes: new Map() };

/**
 * Keeps the timeline's key index, counters and dispute index in step with entries' documents
 * (diffing an entry's contribution before and after each change), and the actor hierarchy that
 * `group` keys are computed from. Runs inside the projection's batch transaction.
 */
export class KeyIndex {
  private readonly sql;
  private readonly pendingCounts = new Map<string, number>();

  constructor(db: ReadDb, t: TableNamer) {
    this.sql = {
      insertKey: db.prepare(
        `INSERT INTO ${t('keys')} (dim, value, span, sort_ms, sort_tie, start_ms, end_ms, entry_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteKey: db.prepare(
        `DELETE FROM ${t('keys')} WHERE dim = ? AND value = ? AND span = ? AND sort_ms = ? AND sort_tie = ?`,
      ),
      count: db.prepare(
        `INSERT INTO ${t('counts')} (dim, value, n) VALUES (?, ?, ?) ON CONFLICT (dim, value) DO UPDATE SET n = n + excluded.n`,
      ),
      dropZero: db.prepare(`DELETE FROM ${t('counts')} WHERE dim = ? AND value = ? AND n = 0`),
      insertDispute: db.prepare(
        `INSERT INTO ${t('dispute_keys')} (holder, recorded_at, entry_no, n) VALUES (?, ?, ?, ?)`,
      ),
      deleteDispute: db.prepare(
        `DELETE FROM ${t('dispute_keys')} WHERE holder = ? AND recorded_at = ? AND entry_no = ? AND n = ?`,
      ),
      parents: db.prepare<[string], { parents: string }>(
        `SELECT parents FROM ${t('hierarchy')} WHERE actor_id = ?`,
      ),
      setParents: db.prepare(
        `INSERT INTO ${t('hierarchy')} (actor_id, parents) VALUES (?, ?) ON CONFLICT (actor_id) DO UPDATE SET parents = excluded.parents`,
      ),
      groupEntries: db
        .prepare<[string], number>(
          `SELECT DISTINCT entry_no FROM ${t('keys')} WHERE dim = 'group' AND value = ? ORDER BY entry_no`,
        )
        .pluck(),
    };
  }

  /** An actor's parent and the bodies it is a member of, as registered (null: not registered). */
  parentsOf(actorId: string): Parents | null {
    const row = this.sql.parents.get(actorId);
    return row ? (JSON.parse(row.parents) as Parents) : null;
  }

  /**
   * The actor and every actor above it, by parent or membership (cycles cut), as the hierarchy
   * table says, except for the actors in `overrides`. Memoised for one change only: a batch that
   * is rolled back and applied again must not see hierarchy rows it had written.
   */
  private ancestryWith(overrides: ReadonlyMap<string, Parents | null> = new Map()): Ancestry {
    const memo = new Map<string, readonly string[]>();
    return (actorId) => {
      const cached = memo.get(actorId);
      if (cached) return cached;
      const seen = new Set<string>([actorId]);
      const todo = [actorId];
      while (todo.length > 0) {
        const id = todo.pop()!;
        const parents = overrides.has(id) ? overrides.get(id)! : this.parentsOf(id);
        for (const p of parents ? [parents.parentId, ...parents.memberOf] : []) {
          if (p === undefined || seen.has(p)) continue;
          seen.add(p);
          todo.push(p);
        }
      }
      const list = [...seen];
      memo.set(actorId, list);
      return list;
    };
  }

  /** Moves an entry's index rows and counters from `before` (null: a new entry) to `after`. */
  update(entryNo: number, before: Keyed | null, after: Keyed): void {
    const ancestry = this.ancestryWith();
    this.apply(
      entryNo,
      before ? this.contribution(before, ancestry) : EMPTY,
      this.contribution(after, ancestry),
    );
  }

  /**
   * An actor's parents changed: every entry indexed under it as a group (its own and its members'
   * entries) is re-indexed, from the old hierarchy to the new, one entry at a time (the entry
   * numbers are read first: nothing else may run on the connection while a statement iterates).
   * `current` loads an entry's current document. The cost is the subtree's entries, in one batch.
   */
  setParents(actorId: string, parents: Parents, current: (entryNo: number) => Keyed | null): void {
    const old = this.parentsOf(actorId);
    const stored = JSON.stringify(parents);
    if (old && JSON.stringify(old) === stored) return;
    const entryNos = this.sql.groupEntries.all(actorId);
    this.sql.setParents.run(actorId, stored);
    const before = this.ancestryWith(new Map([[actorId, old]]));
    const after = this.ancestryWith();
    for (const entryNo of entryNos) {
      const found = current(entryNo);
      if (!found) continue;
      this.apply(entryNo, this.contribution(found, before), this.contribution(found, after));
    }
  }

  private contribution({ doc, key: sort }: Keyed, ancestry: Ancestry): Contribution {
    const key = entryKey(doc, sort);
    const keys = new Map<string, KeyRow>();
    for (const [dim, value] of keyValues(doc, ancestry)) {
      const row: KeyRow = [dim, value, key.span, sort.ms, sort.tie, key.startMs, key.endMs];
      keys.set(row.join(COUNT_SEP), row);
    }
    const disputes = new Map<string, readonly [string, string, number]>();
    for (const [holder, at, n] of disputeRows(doc, ancestry)) {
      disputes.set(`${holder}${COUNT_SEP}${at}${COUNT_SEP}${n}`, [holder, at, n]);
    }
    return { keys, counts: countsOf(doc, key, ancestry), disputes };
  }

  private apply(entryNo: number, before: Contribution, after: Contribution): void {
    const s = this.sql;
    for (const [id, k] of before.keys) if (!after.keys.has(id)) s.deleteKey.run(k[0], k[1], k[2], k[3], k[4]);
    for (const [id, k] of after.keys) if (!before.keys.has(id)) s.insertKey.run(...k, entryNo);
    for (const [id, d] of before.disputes)
      if (!after.disputes.has(id)) s.deleteDispute.run(d[0], d[1], entryNo, d[2]);
    for (const [id, d] of after.disputes)
      if (!before.disputes.has(id)) s.insertDispute.run(d[0], d[1], entryNo, d[2]);
    const pending = this.pendingCounts;
    for (const [k, n] of after.counts) pending.set(k, (pending.get(k) ?? 0) + n);
    for (const [k, n] of before.counts) pending.set(k, (pending.get(k) ?? 0) - n);
  }

  /**
   * Writes the counters' changes of the batch, summed: most of a batch's entries add to the same
   * counters (all, crisis, type, status, span...), which would otherwise be one upsert per entry
   * each. A counter back at zero has no row, so the table is the same however the log was cut into
   * batches. Called at the end of the batch, inside its transaction; nothing reads the counters
   * within a batch.
   */
  writeCounts(): void {
    for (const [k, n] of this.pendingCounts) {
      if (n === 0) continue;
      const [dim, value] = splitCount(k);
      this.sql.count.run(dim, value, n);
      this.sql.dropZero.run(dim, value);
    }
    this.pendingCounts.clear();
  }

  /** The batch is rolled back: its counter changes are forgotten. */
  forgetCounts(): void {
    this.pendingCounts.clear();
  }
}
