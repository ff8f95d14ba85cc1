import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AppError } from '../../shared/errors';
import { decodeCursor, encodeCursor } from '../cursor';
import { READ_DB, tablesOf, type ReadDb, type TableNamer } from '../projection';
import type { TimelineDoc } from './timeline.doc';
import { presentEntry, type NameBook, type TimelineItem } from './timeline.presenter';
import { RELIABILITY_RANK } from './timeline.schema';
import type { TimelineQueryDto } from './timeline-query.dto';

export interface TimelinePage {
  readonly items: TimelineItem[];
  readonly nextCursor: string | null;
}

export interface EntryHistoryItem {
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly position: string;
  readonly recordedAt: string;
  readonly principal: string;
  readonly data: unknown;
}

/** Parses a from/to bound: an instant with an offset, or a date (UTC) taken as its start or its end. */
function boundMillis(text: string, path: string, edge: 'start' | 'end'): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const value = dateOnly
    ? DateTime.fromISO(text, { zone: 'UTC' })
    : DateTime.fromISO(text, { setZone: true });
  const hasOffset = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text);
  if (!value.isValid || (!dateOnly && !hasOffset)) {
    throw AppError.validation([
      { path, message: `${path} must be a date (YYYY-MM-DD) or an ISO 8601 instant with an offset` },
    ]);
  }
  return dateOnly && edge === 'end' ? value.plus({ days: 1 }).toMillis() : value.toMillis();
}

/** FTS5 query from user words: each word quoted (prefix match on the last), so no syntax leaks in. */
function ftsQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

@Injectable()
export class TimelineQueries {
  private readonly t: TableNamer = tablesOf('timeline');

  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  page(query: TimelineQueryDto): TimelinePage {
    const t = this.t;
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.crisis) {
      where.push('e.crisis_id = ?');
      params.push(query.crisis);
    }
    if (query.from) {
      where.push('e.end_ms > ?');
      params.push(boundMillis(query.from, 'from', 'start'));
    }
    if (query.to) {
      where.push('e.start_ms < ?');
      params.push(boundMillis(query.to, 'to', 'end'));
    }
    if (query.type?.length) {
      where.push(`e.type IN (${query.type.map(() => '?').join(',')})`);
      params.push(...query.type);
    }
    if (query.status?.length) {
      where.push(`e.status IN (${query.status.map(() => '?').join(',')})`);
      params.push(...query.status);
    }
    if (query.minReliability) {
      where.push('e.reliability_rank <= ?');
      params.push(RELIABILITY_RANK[query.minReliability]);
    }
    if (query.actor) {
      const actors = query.includeMembers ? this.withMembers(query.actor) : [query.actor];
      where.push(
        `EXISTS (SELECT 1 FROM ${t('entry_actors')} a WHERE a.entry_no = e.entry_no AND a.actor_id IN (${actors.map(() => '?').join(',')}))`,
      );
      params.push(...actors);
    }
    if (query.q !== undefined) {
      const match = ftsQuery(query.q);
      if (match === null) return { items: [], nextCursor: null };
      where.push(`e.entry_no IN (SELECT rowid FROM ${t('search')} WHERE ${t('search')} MATCH ?)`);
      params.push(match);
    }
    if (query.cursor) {
      const [startMs, seq] = decodeCursor(query.cursor, 2);
      where.push('(e.start_ms > ? OR (e.start_ms = ? AND e.seq > ?))');
      params.push(startMs, startMs, seq);
    }
    const limit = query.limit ?? 50;
    const rows = this.db
      .prepare<unknown[], { doc: string; start_ms: number; seq: number }>(
        `SELECT e.doc, e.start_ms, e.seq FROM ${t('entries')} e
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY e.start_ms, e.seq LIMIT ?`,
      )
      .all(...params, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const docs = page.map((r) => JSON.parse(r.doc) as TimelineDoc);
    const last = page[page.length - 1];
    return {
      items: this.present(docs),
      nextCursor: more && last ? encodeCursor([last.start_ms, last.seq]) : null,
    };
  }

  entry(entryId: string): { entry: TimelineItem; history: EntryHistoryItem[] } | null {
    const row = this.db
      .prepare<[string], { doc: string }>(`SELECT doc FROM ${this.t('entries')} WHERE entry_id = ?`)
      .get(entryId);
    if (!row) return null;
    const history = this.db
      .prepare<
        [string],
        {
          revision: number;
          event_id: string;
          type: string;
          position: string;
          recorded_at: string;
          principal: string;
          data: string;
        }
      >(
        `SELECT revision, event_id, type, position, recorded_at, principal, data FROM ${this.t('history')} WHERE entry_id = ? ORDER BY revision`,
      )
      .all(entryId)
      .map((h) => ({
        revision: h.revision,
        eventId: h.event_id,
        type: h.type,
        position: h.position,
        recordedAt: h.recorded_at,
        principal: h.principal,
        data: JSON.parse(h.data) as unknown,
      }));
    const [entry] = this.present([JSON.parse(row.doc) as TimelineDoc]);
    return { entry: entry!, history };
  }

  crises(): Array<{
    crisisId: string;
    name: string;
    description: string | null;
    countries: string[];
    entries: number;
  }> {
    return this.db
      .prepare<
        [],
        { crisis_id: string; name: string; description: string | null; countries: string; entries: number }
      >(
        `SELECT c.crisis_id, c.name, c.description, c.countries,
         (SELECT count(*) FROM ${this.t('entries')} e WHERE e.crisis_id = c.crisis_id) AS entries
         FROM ${this.t('crises')} c ORDER BY c.registered_at, c.crisis_id`,
      )
      .all()
      .map((c) => ({
        crisisId: c.crisis_id,
        name: c.name,
        description: c.description,
        countries: JSON.parse(c.countries) as string[],
        entries: c.entries,
      }));
  }

  /** The actor and everything below it: children by parent, members by memberOf, transitively. */
  withMembers(actorId: string): string[] {
    const t = this.t;
    return this.db
      .prepare<[string], { id: string }>(
        `WITH RECURSIVE members(id) AS (
           SELECT ? UNION
           SELECT a.actor_id FROM ${t('actors')} a JOIN members m
             ON a.parent_id = m.id OR EXISTS (SELECT 1 FROM json_each(a.member_of) j WHERE j.value = m.id))
         SELECT id FROM members`,
      )
      .all(actorId)
      .map((r) => r.id);
  }

  private present(docs: TimelineDoc[]): TimelineItem[] {
    const names = this.names(docs);
    return docs.map((d) => presentEntry(d, names));
  }

  private names(docs: TimelineDoc[]): NameBook {
    const actorIds = new Set<string>();
    const sourceIds = new Set<string>();
    for (const d of docs) {
      d.report.actors.forEach((a) => actorIds.add(a.actorId));
      d.disputes.forEach((x) => actorIds.add(x.byActorId));
      sourceIds.add(d.report.attribution.sourceId);
      d.corroborations.forEach((c) => sourceIds.add(c.sourceId));
    }
    const actors = new Map(
      this.in<{ actor_id: string; name: string }>('actors', 'actor_id', 'actor_id, name', [...actorIds]).map(
        (a) => [a.actor_id, a.name],
      ),
    );
    const sources = new Map(
      this.in<{ source_id: string; name: string; reliability: string | null }>(
        'sources',
        'source_id',
        'source_id, name, reliability',
        [...sourceIds],
      ).map((s) => [s.source_id, { name: s.name, reliability: s.reliability }]),
    );
    return { actor: (id) => actors.get(id) ?? null, source: (id) => sources.get(id) ?? null };
  }

  private in<R>(table: string, key: string, columns: string, ids: string[]): R[] {
    if (ids.length === 0) return [];
    return this.db
      .prepare<string[], R>(
        `SELECT ${columns} FROM ${this.t(table)} WHERE ${key} IN (${ids.map(() => '?').join(',')})`,
      )
      .all(...ids);
  }
}
