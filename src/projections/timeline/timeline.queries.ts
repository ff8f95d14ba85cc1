import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../cursor';
import { READ_DB, tablesOf, type ReadDb, type TableNamer } from '../projection';
import { RegistryQueries } from '../registry.queries';
import { existedIn, validIn, CURRENT, type Scope } from '../scope';
import type { TimelineDoc } from './timeline.doc';
import { filterSql, timelineFilter, type TimelineFilter } from './timeline.filter';
import { presentEntry, type NameBook, type TimelineItem } from './timeline.presenter';
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

/** A change of an entry opened by one log event (for live feeds). */
export interface EntryChange {
  readonly seq: number;
  readonly commit: bigint;
  readonly prepare: bigint;
  readonly change: 'added' | 'updated';
  readonly primary: boolean;
  readonly doc: TimelineDoc;
}

@Injectable()
export class TimelineQueries {
  private readonly t: TableNamer = tablesOf('timeline');

  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly registry: RegistryQueries,
  ) {}

  /** Resolves query parameters into a filter (null: nothing can match). */
  filter(query: TimelineQueryDto, scope: Scope): TimelineFilter | null {
    const f = timelineFilter(query, (id) => [id, ...this.registry.members(id, scope).map((m) => m.actorId)]);
    return f === 'nothing' ? null : f;
  }

  page(query: TimelineQueryDto, scope: Scope = CURRENT): TimelinePage {
    const filter = this.filter(query, scope);
    if (!filter) return { items: [], nextCursor: null };
    const valid = validIn('v', scope);
    const { where, params } = filterSql(filter, scope);
    if (query.cursor) {
      const [startMs, seq] = decodeCursor(query.cursor, 2);
      where.push('(v.start_ms > ? OR (v.start_ms = ? AND v.first_seq > ?))');
      params.push(startMs, startMs, seq);
    }
    const limit = query.limit ?? 50;
    const rows = this.db
      .prepare<unknown[], { doc: string; start_ms: number; first_seq: number }>(
        `SELECT v.doc, v.start_ms, v.first_seq FROM ${this.t('versions')} v
         WHERE ${[valid.sql, ...where].join(' AND ')} ORDER BY v.start_ms, v.first_seq LIMIT ?`,
      )
      .all(...valid.params, ...params, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      items: this.present(
        page.map((r) => JSON.parse(r.doc) as TimelineDoc),
        scope,
      ),
      nextCursor: more && last ? encodeCursor([last.start_ms, last.first_seq]) : null,
    };
  }

  entry(
    entryId: string,
    scope: Scope = CURRENT,
  ): { entry: TimelineItem; history: EntryHistoryItem[] } | null {
    const valid = validIn('v', scope);
    const row = this.db
      .prepare<unknown[], { doc: string }>(
        `SELECT v.doc FROM ${this.t('versions')} v WHERE v.entry_id = ? AND ${valid.sql}`,
      )
      .get(entryId, ...valid.params);
    if (!row) return null;
    const seen = existedIn('h.seq', scope);
    const history = this.db
      .prepare<
        unknown[],
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
        `SELECT h.revision, h.event_id, h.type, h.position, h.recorded_at, h.principal, h.data FROM ${this.t('history')} h
         WHERE h.entry_id = ? AND ${seen.sql} ORDER BY h.revision`,
      )
      .all(entryId, ...seen.params)
      .map((h) => ({
        revision: h.revision,
        eventId: h.event_id,
        type: h.type,
        position: h.position,
        recordedAt: h.recorded_at,
        principal: h.principal,
        data: JSON.parse(h.data) as unknown,
      }));
    const [entry] = this.present([JSON.parse(row.doc) as TimelineDoc], scope);
    return { entry: entry!, history };
  }

  crises(scope: Scope = CURRENT) {
    const seen = existedIn('c.from_seq', scope);
    const valid = validIn('v', scope);
    return this.db
      .prepare<
        unknown[],
        { crisis_id: string; name: string; description: string | null; countries: string; entries: number }
      >(
        `SELECT c.crisis_id, c.name, c.description, c.countries,
         (SELECT count(*) FROM ${this.t('versions')} v WHERE v.crisis_id = c.crisis_id AND ${valid.sql}) AS entries
         FROM ${this.t('crises')} c WHERE ${seen.sql} ORDER BY c.from_seq`,
      )
      .all(...valid.params, ...seen.params)
      .map((c) => ({
        crisisId: c.crisis_id,
        name: c.name,
        description: c.description,
        countries: JSON.parse(c.countries) as string[],
        entries: c.entries,
      }));
  }

  /**
   * Entry changes opened by the events in (afterSeq, upToSeq], in log order, that match the filter
   * as things stood right after each change. For live feeds.
   */
  changesBetween(afterSeq: number, upToSeq: number, filter: TimelineFilter): EntryChange[] {
    const own: Scope = { kind: 'expr', expr: 'v.from_seq' };
    const { where, params } = filterSql(filter, own);
    return this.db
      .prepare<
        unknown[],
        {
          from_seq: number;
          pos_commit: bigint;
          pos_prepare: bigint;
          change: 'added' | 'updated';
          is_primary: bigint;
          doc: string;
        }
      >(
        `SELECT v.from_seq, v.pos_commit, v.pos_prepare, v.change, v.is_primary, v.doc FROM ${this.t('versions')} v
         WHERE v.from_seq > ? AND v.from_seq <= ? AND (v.to_seq IS NULL OR v.to_seq > v.from_seq)
         ${where.length ? `AND ${where.join(' AND ')}` : ''}
         ORDER BY v.from_seq, v.is_primary DESC, v.version_no`,
      )
      .safeIntegers(true)
      .all(afterSeq, upToSeq, ...params)
      .map((r) => ({
        seq: Number(r.from_seq),
        commit: r.pos_commit,
        prepare: r.pos_prepare,
        change: r.change,
        primary: r.is_primary === 1n,
        doc: JSON.parse(r.doc) as TimelineDoc,
      }));
  }

  present(docs: TimelineDoc[], scope: Scope = CURRENT): TimelineItem[] {
    const names = this.names(docs, scope);
    return docs.map((d) => presentEntry(d, names));
  }

  private names(docs: TimelineDoc[], scope: Scope): NameBook {
    const actorIds: string[] = [];
    const sourceIds: string[] = [];
    for (const d of docs) {
      actorIds.push(...d.report.actors.map((a) => a.actorId), ...d.disputes.map((x) => x.byActorId));
      sourceIds.push(d.report.attribution.sourceId, ...d.corroborations.map((c) => c.sourceId));
    }
    const actors = this.registry.actorNames(actorIds, scope);
    const sources = this.registry.sources(sourceIds, scope);
    return { actor: (id) => actors.get(id) ?? null, source: (id) => sources.get(id) ?? null };
  }
}
