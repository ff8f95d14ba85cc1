import { tablesOf, type ReadDb } from '../projection';
import type { Scope } from '../scope';
import { currentlyGradedSql, reliabilitySql } from '../sources/sources.reader';
import type { KeyDim } from './timeline.keys';
import { timelineProjection } from './timeline.projection';

const t = tablesOf(timelineProjection.name);

/**
 * minReliability=X keeps the entries whose grade is X or better, the grade an entry shows:
 * - with an attribution chain, the chain's (`grade.chain`, its weakest link: the carrying source,
 *   each hop's source, an ungraded source or an anonymous hop counting as F; see chainReliability),
 *   so every chained entry passes at F;
 * - without one, its carrying source's; an ungraded source has no grade and never passes.
 * Grades are read in the read's scope (current, or as of a position), as the entry shows them.
 */
const LOWEST = 6; // F: "reliability cannot be judged"

/** A condition on the current index's rows aliased k, with its parameters. */
export interface KeyCheck {
  readonly sql: string;
  readonly params: unknown[];
}

const list = (values: readonly unknown[]): string => values.map(() => '?').join(',');

/** The entry of key row k has a key of `dim` with any of `values` (a lookup by the same sort key). */
export function entryHasKey(dim: KeyDim, values: readonly string[]): KeyCheck {
  return {
    sql: `EXISTS (SELECT 1 FROM ${t('keys')} o WHERE o.dim = ? AND o.value IN (${list(values)}) AND o.span = k.span AND o.sort_ms = k.sort_ms AND o.sort_tie = k.sort_tie)`,
    params: [dim, ...values],
  };
}

/**
 * The reliability filter of the current timeline on its key index: an index range the page may
 * start from (the entries whose carrying source is graded well enough, which every entry that
 * passes has, below F) and the checks on each row. Below F, an entry with a hop whose source is
 * graded worse, or not at all, or an anonymous hop, is left out: the `chain` keys of the values
 * found in the index that are not graded well enough now (few: only sources quoted in chains).
 * At F, an entry passes if its source is graded at all or it has a chain (whose grade is at
 * worst F).
 */
export function currentGradeFilter(
  db: ReadDb,
  rank: number,
): { driver?: { dim: KeyDim; values: string[] }; checks: KeyCheck[] } {
  const graded = db.prepare<[number], string>(currentlyGradedSql()).pluck().all(rank);
  if (rank >= LOWEST) {
    const carried = entryHasKey('source', graded);
    const chained = entryHasKey('chain', ['']);
    return {
      checks: [{ sql: `(${carried.sql} OR ${chained.sql})`, params: [...carried.params, ...chained.params] }],
    };
  }
  const weak = db
    .prepare<[number], string>(
      `SELECT c.value FROM ${t('counts')} c WHERE c.dim = 'chain' AND c.n > 0 AND c.value <> ''
         AND c.value NOT IN (${currentlyGradedSql()})`,
    )
    .pluck()
    .all(rank);
  const checks: KeyCheck[] = [];
  if (weak.length > 0) {
    const hop = entryHasKey('chain', weak);
    checks.push({ sql: `NOT ${hop.sql}`, params: hop.params });
  }
  return { driver: { dim: 'source', values: graded }, checks };
}

/** `expr`'s grade letter (or null) is `rank` or better. */
const within = (expr: string): string => `instr('ABCDEF', coalesce(${expr}, 'x')) BETWEEN 1 AND ?`;

/**
 * The reliability filter on versions aliased `v` (as-of reads, searches and live feeds), grades
 * read in `scope`: the same rule, from the entry's document.
 */
export function gradeSql(rank: number, scope: Scope): { sql: string; params: unknown[] } {
  const carrier = reliabilitySql('v.source_id', scope);
  const chain = `json_each(v.doc, '$.report.attribution.chain')`;
  if (rank >= LOWEST) {
    return {
      sql: `(${within(carrier.sql)} OR EXISTS (SELECT 1 FROM ${chain}))`,
      params: [...carrier.params, rank],
    };
  }
  const hop = reliabilitySql(`json_extract(h.value, '$.sourceId')`, scope);
  return {
    sql: `(${within(carrier.sql)} AND NOT EXISTS (SELECT 1 FROM ${chain} h
            WHERE json_extract(h.value, '$.anonymous') = 1
               OR (json_extract(h.value, '$.sourceId') IS NOT NULL AND NOT (${within(hop.sql)}))))`,
    params: [...carrier.params, rank, ...hop.params, rank],
  };
}
