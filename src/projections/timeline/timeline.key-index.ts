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

/** Actor ids above an actor at an instant: memberships stated for a period count within it. */
type TimedAncestry = (actorId: string, atMs: number) => readonly string[];

/** Open ends of a membership's period, as stored. */
const EVER = { fromMs: -8.64e15, toMs: 8.64e15 };

/**
 * Keeps the timeline's key index, counters and dispute index in step with entries' documents
 * (diffing an entry's contribution before and after each change), and the actor hierarchy that
 * `group` keys are computed from. Runs inside the projection's batch transaction.
 */
export class KeyIndex {
  private readonly sql;
  private readonly pendingCounts = new Map<string, number>();
  /** Whether any membership has a period (null: not looked yet): most logs have none. */
  private timed: boolean | null = null;

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
      timedParents: db
        .prepare<[string, number, number], string>(
          `SELECT parent_id FROM ${t('memberships')} WHERE actor_id = ? AND from_ms <= ? AND to_ms > ?`,
        )
        .pluck(),
      anyTimed: db.prepare<[], number>(`SELECT count(*) FROM ${t('memberships')}`).pluck(),
      setMembership: db.prepare(
        `INSERT INTO ${t('memberships')} (actor_id, parent_id, from_ms, to_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (actor_id, parent_id) DO UPDATE SET from_ms = excluded.from_ms, to_ms = excluded.to_ms`,
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
   * The actor and every actor above it at an instant, by parent or membership (cycles cut): the
   * hierarchy table (memberships stated at registration, always) and the memberships stated for
   * a period that holds then, except for the actors in `overrides`. Memoised for one change only:
   * a batch that is rolled back and applied again must not see hierarchy rows it had written.
   */
  private ancestryWith(overrides: ReadonlyMap<string, Parents | null> = new Map()): TimedAncestry {
    const memo = new Map<string, readonly string[]>();
    this.timed ??= this.sql.anyTimed.get()! > 0;
    const timed = this.timed;
    return (actorId, atMs) => {
      const memoKey = timed ? `${actorId}${COUNT_SEP}${atMs}` : actorId;
      const cached = memo.get(memoKey);
      if (cached) return cached;
      const seen = new Set<string>([actorId]);
      const todo = [actorId];
      while (todo.length > 0) {
        const id = todo.pop()!;
        const parents = overrides.has(id) ? overrides.get(id)! : this.parentsOf(id);
        const during = timed ? this.sql.timedParents.all(id, atMs, atMs) : [];
        for (const p of [...(parents ? [parents.parentId, ...parents.memberOf] : []), ...during]) {
          if (p === undefined || seen.has(p)) continue;
          seen.add(p);
          todo.push(p);
        }
      }
      const list = [...seen];
      memo.set(memoKey, list);
      return list;
    };
  }

  /**
   * A membership stated for a period (`member-of` with validFrom/validTo): the entries indexed
   * under the member as a group are re-indexed, each by the hierarchy at its own time. Their
   * contributions are taken before the membership is written and after. The cost is the member's
   * subtree's entries, in one batch.
   */
  setMembership(
    actorId: string,
    parentId: string,
    period: { fromMs?: number; toMs?: number },
    current: (entryNo: number) => Keyed | null,
  ): void {
    const entries = this.sql.groupEntries
      .all(actorId)
      .map((no) => [no, current(no)] as const)
      .filter((e): e is readonly [number, Keyed] => e[1] !== null);
    const before = this.ancestryWith();
    const old = entries.map(([, keyed]) => this.contribution(keyed, before));
    this.sql.setMembership.run(actorId, parentId, period.fromMs ?? EVER.fromMs, period.toMs ?? EVER.toMs);
    this.timed = true;
    const after = this.ancestryWith();
    entries.forEach(([no, keyed], i) => this.apply(no, old[i]!, this.contribution(keyed, after)));
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

  private contribution({ doc, key: sort }: Keyed, timedAncestry: TimedAncestry): Contribution {
    const key = entryKey(doc, sort);
    // Who an entry rolls up into is decided by the hierarchy at the time it happened.
    const ancestry: Ancestry = (actorId) => timedAncestry(actorId, key.startMs);
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
