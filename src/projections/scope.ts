import { Injectable } from '@nestjs/common';
import { formatPosition, parsePosition } from '../event-store';
import { AppError, type FieldError } from '../shared/errors';
import { parseInstant } from '../shared/time';
import { LogReader } from './log/log.reader';

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

/** Turns a read's asOf / atPosition parameters into a scope, through the log's reader. */
@Injectable()
export class ScopeResolver {
  constructor(private readonly log: LogReader) {}

  /** Resolves asOf (transaction time: what had been recorded by then) or atPosition to a scope. */
  async resolve(params: AsOfParams): Promise<{ scope: Scope; asOf: AsOfInfo | null }> {
    if (params.asOf === undefined && params.atPosition === undefined) return { scope: CURRENT, asOf: null };
    if (params.asOf !== undefined && params.atPosition !== undefined) {
      throw AppError.validation([{ path: 'asOf', message: 'give asOf or atPosition, not both' }]);
    }
    let seq: number;
    if (params.atPosition !== undefined) {
      const p = parsePosition(params.atPosition);
      if (!p)
        throw AppError.validation([
          { path: 'atPosition', message: 'atPosition must be a position returned by the API, e.g. "42"' },
        ]);
      seq = await this.log.seqAtPosition(formatPosition(p));
    } else {
      const errors: FieldError[] = [];
      const at = parseInstant(params.asOf!, 'asOf', errors);
      if (at === undefined) {
        throw AppError.validation([
          {
            path: 'asOf',
            message: `asOf must be an ISO 8601 instant with an offset, e.g. 2022-02-17T09:00:00Z: ${errors.map((e) => e.message).join('; ')}`,
          },
        ]);
      }
      seq = await this.log.seqRecordedBy(at);
    }
    const event = await this.log.event(seq);
    return {
      scope: { kind: 'seq', seq },
      asOf: { seq, position: event?.position ?? null, recordedAt: event?.recordedAt ?? null },
    };
  }
}
