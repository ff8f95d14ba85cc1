import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { formatPosition, parsePosition, positionOf } from '../event-store';
import { AppError } from '../shared/errors';
import { READ_DB, tablesOf, type ReadDb } from './projection';

/**
 * Which state a read sees: the current one, the one right after log ordinal `seq` (as-of), or, for
 * live feeds, the one right after the event that opened each row (`expr` is an SQL expression).
 */
export type Scope =
  | { readonly kind: 'current' }
  | { readonly kind: 'seq'; readonly seq: number }
  | { readonly kind: 'expr'; readonly expr: string };

export const CURRENT: Scope = { kind: 'current' };

/** SQL condition that a versioned row (from_seq, to_seq) of `alias` is valid in `scope`. */
export function validIn(alias: string, scope: Scope): { sql: string; params: unknown[] } {
  switch (scope.kind) {
    case 'current':
      return { sql: `${alias}.to_seq IS NULL`, params: [] };
    case 'seq':
      return {
        sql: `(${alias}.from_seq <= ? AND (${alias}.to_seq IS NULL OR ${alias}.to_seq > ?))`,
        params: [scope.seq, scope.seq],
      };
    case 'expr':
      return {
        sql: `(${alias}.from_seq <= ${scope.expr} AND (${alias}.to_seq IS NULL OR ${alias}.to_seq > ${scope.expr}))`,
        params: [],
      };
  }
}

/** Condition that a row stamped with `column` (a seq) already existed in `scope`. */
export function existedIn(column: string, scope: Scope): { sql: string; params: unknown[] } {
  switch (scope.kind) {
    case 'current':
      return { sql: '1', params: [] };
    case 'seq':
      return { sql: `${column} <= ?`, params: [scope.seq] };
    case 'expr':
      return { sql: `${column} <= ${scope.expr}`, params: [] };
  }
}

export interface AsOfParams {
  readonly asOf?: string;
  readonly atPosition?: string;
}

/** What an as-of read answers for: the last event it includes. */
export interface AsOfInfo {
  readonly seq: number;
  readonly position: string | null;
  readonly recordedAt: string | null;
}

@Injectable()
export class ScopeResolver {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  /** Resolves asOf (transaction time: what had been recorded by then) or atPosition to a scope. */
  resolve(params: AsOfParams): { scope: Scope; asOf: AsOfInfo | null } {
    if (params.asOf === undefined && params.atPosition === undefined) return { scope: CURRENT, asOf: null };
    if (params.asOf !== undefined && params.atPosition !== undefined) {
      throw AppError.validation([{ path: 'asOf', message: 'give asOf or atPosition, not both' }]);
    }
    const log = tablesOf('log')('events');
    let seq: number;
    if (params.atPosition !== undefined) {
      const p = parsePosition(params.atPosition);
      if (!p)
        throw AppError.validation([
          { path: 'atPosition', message: 'atPosition must be a position returned by the API, e.g. "42"' },
        ]);
      seq =
        this.db
          .prepare<[bigint, bigint], { seq: number | null }>(
            `SELECT max(seq) AS seq FROM ${log} WHERE (pos_commit, pos_prepare) <= (?, ?)`,
          )
          .get(p.commit, p.prepare)?.seq ?? 0;
    } else {
      const at = DateTime.fromISO(params.asOf!, { setZone: true });
      if (!at.isValid || !/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(params.asOf!)) {
        throw AppError.validation([
          {
            path: 'asOf',
            message: 'asOf must be an ISO 8601 instant with an offset, e.g. 2022-02-17T09:00:00Z',
          },
        ]);
      }
      const iso = at.toUTC().toISO();
      seq =
        this.db
          .prepare<[string], { seq: number | null }>(
            `SELECT max(seq) AS seq FROM ${log} WHERE recorded_at <= ?`,
          )
          .get(iso)?.seq ?? 0;
    }
    const row = this.db
      .prepare<[number], { pos_commit: bigint; pos_prepare: bigint; recorded_at: string }>(
        `SELECT pos_commit, pos_prepare, recorded_at FROM ${log} WHERE seq = ?`,
      )
      .safeIntegers(true)
      .get(seq);
    return {
      scope: { kind: 'seq', seq },
      asOf: {
        seq,
        position: row ? formatPosition(positionOf(row.pos_commit, row.pos_prepare)) : null,
        recordedAt: row?.recorded_at ?? null,
      },
    };
  }
}
