import { formatPosition, positionOf } from '../../event-store';
import { splitMembers } from '../actors/actors.hierarchy';
import type { ActorsReader } from '../actors/actors.reader';
import { decodeCursor, encodeCursor } from '../cursor';
import { tablesOf, type ReadDb } from '../projection';
import { existedIn, validIn, CURRENT, type Scope } from '../scope';
import type { SourcesReader } from '../sources/sources.reader';
import type { TimelineDoc } from './timeline.doc';
import { filterSql, timelineFilter, type TimelineFilter } from './timeline.filter';
import { nameBook, namedIn, presentEntry, type TimelineItem } from './timeline.presenter';
import { AsOfPagePlanner } from './timeline.asof-plan';
import { TimelineHistogram, type Histogram } from './timeline.histogram';
import type { HistogramQueryDto } from './timeline.histogram.dto';
import { CurrentPagePlanner } from './timeline.plan';
import { registerPlaceKey } from './timeline.keys';
import { timelineProjection } from './timeline.projection';
import { AppError } from '../../shared/errors';
import type { TimelineQueryDto } from './timeline-query.dto';

const t = tablesOf(timelineProjection.name);

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

/** What one log event changed among the entries a live feed follows. */
export interface EntryChange {
  readonly seq: number;
  /** The event's log position, in wire form. */
  readonly position: string;
  readonly change: 'added' | 'updated';
  /** The changed entries as they stood right after the event: the event's own entry first. */
  readonly entries: TimelineItem[];
}

interface ChangedRow {
  readonly seq: number;
  readonly position: string;
  readonly change: 'added' | 'updated';
  readonly doc: TimelineDoc;
}

/** Rows of consecutive equal seq, one group per event. */
function bySeq(rows: ChangedRow[]): ChangedRow[][] {
  const groups: ChangedRow[][] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.seq === row.seq) last.push(row);
    else groups.push([row]);
  }
  return groups;
}

/**
 * The timeline projection's reader: pages, entries with their history, crises, and the changes live
 * feeds send, with actor names and source grades as they stood in the same scope. Its methods are
 * async and take and return plain values, except changesSync (see there).
 */
export class TimelineReader {
  private readonly planner: CurrentPagePlanner;
  private readonly asOfPlanner: AsOfPagePlanner;
  private readonly histograms: TimelineHistogram;

  constructor(
    private readonly db: ReadDb,
    private readonly actors: ActorsReader,
    private readonly sources: SourcesReader,
  ) {
    registerPlaceKey(db);
    this.planner = new CurrentPagePlanner(db);
    this.asOfPlanner = new AsOfPagePlanner(db);
    this.histograms = new TimelineHistogram(db);
  }

  /** Resolves query parameters into a filter (null: nothing can match). */
  async filter(query: TimelineQueryDto, scope: Scope): Promise<TimelineFilter | null> {
    const members = splitMembers(
      query.actor && query.includeMembers ? await this.actors.members(query.actor, scope) : [],
    );
    const f = timelineFilter(query, (id) => ({ ids: [id, ...members.ids], periods: members.periods }));
    return f === 'nothing' ? null : f;
  }

  async page(query: TimelineQueryDto, scope: Scope = CURRENT): Promise<TimelinePage> {
    const filter = await this.filter(query, scope);
    if (!filter) return { items: [], nextCursor: null };
    if (scope.kind === 'current') return this.currentPage(filter, query);
    const valid = validIn('v', scope);
    const { where, params } = filterSql(filter, scope);
    if (query.cursor) {
      const [ms, tie] = decodeCursor('timeline', query.cursor, 2);
      where.push('(v.sort_ms, v.sort_tie) > (?, ?)');
      params.push(ms, tie);
    }
    const limit = query.limit ?? 50;
    const start = scope.kind === 'seq' ? this.asOfPlanner.choose(filter, scope.seq, limit) : 'time';
    const from = this.asOfPlanner.from(start, filter, scope);
    const rows = this.db
      .prepare<unknown[], { doc: string; sort_ms: number; sort_tie: number }>(
        `SELECT v.doc, v.sort_ms, v.sort_tie FROM ${from.sql}
         WHERE ${[...from.where, valid.sql, ...where].join(' AND ')} ORDER BY v.sort_ms, v.sort_tie LIMIT ?`,
      )
      .all(...from.params, ...valid.params, ...params, limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      items: await this.present(
        page.map((r) => JSON.parse(r.doc) as TimelineDoc),
        scope,
      ),
      nextCursor: more && last ? encodeCursor('timeline', [last.sort_ms, last.sort_tie]) : null,
    };
  }

  /** Entry counts per bucket of time of the current timeline (see TimelineHistogram). */
  async histogram(query: HistogramQueryDto): Promise<Histogram> {
    return this.histograms.count(await this.filter(query, CURRENT), query.bucket ?? 'auto');
  }

  /** A page of the current timeline, through the key index (see CurrentPagePlanner). */
  private async currentPage(filter: TimelineFilter, query: TimelineQueryDto): Promise<TimelinePage> {
    const after = query.cursor ? decodeCursor('timeline', query.cursor, 2) : null;
    if (after && !after.every((k) => typeof k === 'number')) {
      throw AppError.validation([{ path: 'cursor', message: 'cursor is not one this API returned' }]);
    }
    const limit = query.limit ?? 50;
    const keys = this.planner.keys(
      filter,
      after ? { ms: after[0] as number, tie: after[1] as number } : null,
      limit + 1,
    );
    const more = keys.length > limit;
    const page = more ? keys.slice(0, limit) : keys;
    const doc = this.db
      .prepare<[number], string>(
        `SELECT v.doc FROM ${t('versions')} v WHERE v.entry_no = ? AND v.to_seq IS NULL`,
      )
      .pluck();
    const docs = page.map((k) => JSON.parse(doc.get(k.entry_no)!) as TimelineDoc);
    const last = page[page.length - 1];
    return {
      items: await this.present(docs, CURRENT),
      nextCursor: more && last ? encodeCursor('timeline', [last.sort_ms, last.sort_tie]) : null,
    };
  }

  async entry(
    entryId: string,
    scope: Scope = CURRENT,
  ): Promise<{ entry: TimelineItem; history: EntryHistoryItem[] } | null> {
    const valid = validIn('v', scope);
    const row = this.db
      .prepare<unknown[], { doc: string }>(
        `SELECT v.doc FROM ${t('entries')} e JOIN ${t('versions')} v ON v.entry_no = e.entry_no
         WHERE e.entry_id = ? AND ${valid.sql}`,
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
        `SELECT h.revision, h.event_id, h.type, h.position, h.recorded_at, h.principal, h.data FROM ${t('history')} h
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
    const [entry] = await this.present([JSON.parse(row.doc) as TimelineDoc], scope);
    return { entry: entry!, history };
  }

  async crises(scope: Scope = CURRENT) {
    const seen = existedIn('c.from_seq', scope);
    const valid = validIn('v', scope);
    // Current counts are kept by the projection; as of a moment they are counted (bounded by the log).
    const entries =
      scope.kind === 'current'
        ? `coalesce((SELECT n.n FROM ${t('counts')} n WHERE n.dim = 'crisis' AND n.value = c.crisis_id), 0)`
        : `(SELECT count(*) FROM ${t('versions')} v WHERE v.crisis_id = c.crisis_id AND ${valid.sql})`;
    return Promise.resolve(
      this.db
        .prepare<
          unknown[],
          { crisis_id: string; name: string; description: string | null; countries: string; entries: number }
        >(
          `SELECT c.crisis_id, c.name, c.description, c.countries,
           ${entries} AS entries
           FROM ${t('crises')} c WHERE ${seen.sql} ORDER BY c.from_seq`,
        )
        .all(...(scope.kind === 'current' ? [] : valid.params), ...seen.params)
        .map((c) => ({
          crisisId: c.crisis_id,
          name: c.name,
          description: c.description,
          countries: JSON.parse(c.countries) as string[],
          entries: c.entries,
        })),
    );
  }

  /**
   * What the events in (afterSeq, upToSeq] changed among the entries matching the filter (as things
   * stood right after each event), one item per event, in log order. For a live feed's catch-up.
   */
  async changes(afterSeq: number, upToSeq: number, filter: TimelineFilter): Promise<EntryChange[]> {
    const out: EntryChange[] = [];
    for (const group of bySeq(this.changedRows(afterSeq, upToSeq, filter))) {
      const { seq, position, change } = group[0]!;
      const entries = await this.present(
        group.map((r) => r.doc),
        { kind: 'seq', seq },
      );
      out.push({ seq, position, change, entries });
    }
    return out;
  }

  /**
   * changes, synchronously. For TimelineFeed.live (src/live/feeds.ts), which renders each batch the
   * read models applied inside the fan-out, as the batch is published: a synchronous render is what
   * keeps every subscriber's batches in log order, with nothing applied in between.
   */
  changesSync(afterSeq: number, upToSeq: number, filter: TimelineFilter): EntryChange[] {
    return bySeq(this.changedRows(afterSeq, upToSeq, filter)).map((group) => {
      const { seq, position, change } = group[0]!;
      const docs = group.map((r) => r.doc);
      const scope: Scope = { kind: 'seq', seq };
      const { actorIds, sourceIds } = namedIn(docs);
      const names = nameBook(
        this.actors.namesSync(actorIds, scope),
        this.sources.summariesSync(sourceIds, scope),
      );
      return { seq, position, change, entries: docs.map((d) => presentEntry(d, names)) };
    });
  }

  /** Entry versions opened by the events in (afterSeq, upToSeq] that match the filter, in log order. */
  private changedRows(afterSeq: number, upToSeq: number, filter: TimelineFilter): ChangedRow[] {
    const own: Scope = { kind: 'expr', expr: 'v.from_seq' };
    const { where, params } = filterSql(filter, own);
    return this.db
      .prepare<
        unknown[],
        {
          from_seq: bigint;
          pos_commit: bigint;
          pos_prepare: bigint;
          change: 'added' | 'updated';
          doc: string;
        }
      >(
        `SELECT v.from_seq, v.pos_commit, v.pos_prepare, v.change, v.doc FROM ${t('versions')} v
         WHERE v.from_seq > ? AND v.from_seq <= ? AND (v.to_seq IS NULL OR v.to_seq > v.from_seq)
         ${where.length ? `AND ${where.join(' AND ')}` : ''}
         ORDER BY v.from_seq, v.is_primary DESC, v.version_no`,
      )
      .safeIntegers(true)
      .all(afterSeq, upToSeq, ...params)
      .map((r) => ({
        seq: Number(r.from_seq),
        position: formatPosition(positionOf(r.pos_commit, r.pos_prepare)),
        change: r.change,
        doc: JSON.parse(r.doc) as TimelineDoc,
      }));
  }

  private async present(docs: TimelineDoc[], scope: Scope): Promise<TimelineItem[]> {
    const { actorIds, sourceIds } = namedIn(docs);
    const names = nameBook(
      await this.actors.names(actorIds, scope),
      await this.sources.summaries(sourceIds, scope),
    );
    return docs.map((d) => presentEntry(d, names));
  }
}
