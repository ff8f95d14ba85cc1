import { AppError, type FieldError } from '../../shared/errors';
import { isBareDate, parseDateOrInstant } from '../../shared/time';
import { tablesOf } from '../projection';
import { validIn, type Scope } from '../scope';
import type { MemberPeriod } from './actor-involvement.types';
import { actorMatchSql } from './actor-match';
import { gradeSql } from './timeline.grade';
import { placeKey } from './timeline.keys';
import { timelineProjection } from './timeline.projection';
import type { TimelineQueryDto } from './timeline-query.dto';

const t = tablesOf(timelineProjection.name);

/** The timeline's filters, resolved (times in ms, actors with their members). */
export interface TimelineFilter {
  readonly crisis?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly types?: readonly string[];
  readonly statuses?: readonly string[];
  readonly actorIds?: readonly string[];
  /** With members: those that are members for a period only (their entries within it count). */
  readonly actorPeriods?: readonly MemberPeriod[];
  /** The actor asked for (actorIds holds it and, with members, its members in the read's scope). */
  readonly actor?: { readonly id: string; readonly withMembers: boolean };
  readonly maxReliabilityRank?: number;
  readonly text?: string;
  readonly entryId?: string;
  /** Entries linked with this one, either way. */
  readonly linkedTo?: string;
  /** Entries whose disputes contest any of these fields (`*`: the whole entry). */
  readonly disputed?: readonly string[];
  /** Entries naming a place in any of these countries (ISO 3166-1 alpha-2). */
  readonly countries?: readonly string[];
  /** Entries naming a place of this name (lower case, see placeKey). */
  readonly place?: string;
}

/** Parses a from/to bound: an instant with an offset, or a date (UTC) taken as its start or its end. */
export function boundMillis(text: string, path: string, edge: 'start' | 'end'): number {
  const errors: FieldError[] = [];
  const iso = parseDateOrInstant(text, path, errors);
  if (iso === undefined) {
    throw AppError.validation([
      {
        path,
        message: `${path} must be a date (YYYY-MM-DD) or an ISO 8601 instant with an offset: ${errors.map((e) => e.message).join('; ')}`,
      },
    ]);
  }
  const ms = Date.parse(iso);
  return isBareDate(text) && edge === 'end' ? ms + 86_400_000 : ms;
}

/** FTS5 query from user words: each word quoted (prefix match on the last), so no syntax leaks in. */
export function ftsQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Turns query parameters into a filter; `members` expands an actor into itself and its members. */
export function timelineFilter(
  query: TimelineQueryDto,
  members: (actorId: string) => { ids: string[]; periods: readonly MemberPeriod[] },
): TimelineFilter | 'nothing' {
  const text = query.q === undefined ? undefined : ftsQuery(query.q);
  if (text === null) return 'nothing';
  const expanded = query.actor && query.includeMembers ? members(query.actor) : null;
  const fromMs = query.from ? boundMillis(query.from, 'from', 'start') : undefined;
  const toMs = query.to ? boundMillis(query.to, 'to', 'end') : undefined;
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw AppError.validation([
      { path: 'from', message: `from (${query.from}) must be before to (${query.to})` },
    ]);
  }
  return {
    crisis: query.crisis,
    fromMs,
    toMs,
    types: query.type?.length ? [...new Set(query.type)] : undefined,
    statuses: query.status?.length ? [...new Set(query.status)] : undefined,
    actorIds: query.actor ? (expanded ? expanded.ids : [query.actor]) : undefined,
    actorPeriods: expanded?.periods.length ? expanded.periods : undefined,
    actor: query.actor ? { id: query.actor, withMembers: query.includeMembers ?? false } : undefined,
    maxReliabilityRank: query.minReliability ? 'ABCDEF'.indexOf(query.minReliability) + 1 : undefined,
    linkedTo: query.linkedTo,
    disputed: query.disputed?.length ? [...new Set(query.disputed)] : undefined,
    countries: query.country?.length ? [...new Set(query.country)] : undefined,
    place: query.place === undefined ? undefined : placeKey(query.place),
    text,
  };
}

const list = (values: readonly unknown[]): string => values.map(() => '?').join(',');

/** WHERE conditions on versions aliased `v`, with the rows' validity taken in `scope`. */
export function filterSql(f: TimelineFilter, scope: Scope): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]): void => {
    where.push(sql);
    params.push(...p);
  };
  if (f.entryId !== undefined) add('v.entry_id = ?', f.entryId);
  if (f.crisis !== undefined) add('v.crisis_id = ?', f.crisis);
  if (f.fromMs !== undefined) add('v.end_ms > ?', f.fromMs);
  if (f.toMs !== undefined) add('v.start_ms < ?', f.toMs);
  if (f.types) add(`v.type IN (${list(f.types)})`, ...f.types);
  if (f.statuses) add(`v.status IN (${list(f.statuses)})`, ...f.statuses);
  if (f.actorIds) {
    const valid = validIn('a', scope);
    const match = actorMatchSql('a', 'v', f.actorIds, f.actorPeriods);
    add(
      `EXISTS (SELECT 1 FROM ${t('actor_links')} a WHERE a.entry_no = v.entry_no AND ${match.sql} AND ${valid.sql})`,
      ...match.params,
      ...valid.params,
    );
  }
  if (f.linkedTo !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM json_each(v.doc, '$.links') l WHERE json_extract(l.value, '$.entryId') = ?)`,
      f.linkedTo,
    );
  }
  if (f.disputed) {
    add(
      `EXISTS (SELECT 1 FROM json_each(v.doc, '$.disputes') d WHERE coalesce(json_extract(d.value, '$.field'), '*') IN (${list(f.disputed)}))`,
      ...f.disputed,
    );
  }
  if (f.countries) {
    add(
      `EXISTS (SELECT 1 FROM json_each(v.doc, '$.report.locations') l WHERE json_extract(l.value, '$.countryCode') IN (${list(f.countries)})
         OR EXISTS (SELECT 1 FROM json_each(l.value, '$.claimedBy') c WHERE c.value IN (${list(f.countries)})))`,
      ...f.countries,
      ...f.countries,
    );
  }
  if (f.place !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM json_each(v.doc, '$.report.locations') l WHERE place_key(json_extract(l.value, '$.name')) = ?)`,
      f.place,
    );
  }
  if (f.maxReliabilityRank !== undefined) {
    // The chain's grade when the entry has a chain, else its source's (see timeline.grade.ts).
    const g = gradeSql(f.maxReliabilityRank, scope);
    add(g.sql, ...g.params);
  }
  if (f.text !== undefined) {
    const valid = validIn('x', scope);
    add(
      `v.entry_no IN (SELECT x.entry_no FROM ${t('search')} JOIN ${t('texts')} x ON x.text_no = ${t('search')}.rowid WHERE ${t('search')} MATCH ? AND ${valid.sql})`,
      f.text,
      ...valid.params,
    );
  }
  return { where, params };
}
