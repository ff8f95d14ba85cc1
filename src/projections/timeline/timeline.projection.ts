import {
  FOLLOW_UP_TYPE_NAMES,
  REPORT_TYPE_NAMES,
  isReportType,
  type ActorDetailsChangedData,
  type ActorRegisteredData,
  type CredibilityAssessedData,
  type CrisisRegisteredData,
  type EntryCorrectedData,
  type EntryCorroboratedData,
  type EntryDisputedData,
  type EntryRetractedData,
  type ReportData,
  type SourceGradedData,
  type SourceRegisteredData,
} from '../../chronology/events';
import { formatPosition, type RecordedEvent } from '../../event-store';
import type { ApplyContext, Projection, ReadDb, TableNamer } from '../projection';
import { corrected, newDoc, withFollowUp, type FollowUp, type TimelineDoc } from './timeline.doc';
import { RELIABILITY_RANK, TIMELINE_TABLES, timelineSchema } from './timeline.schema';

const REGISTRY_TYPES = [
  'ActorRegistered',
  'ActorDetailsChanged',
  'SourceRegistered',
  'SourceGraded',
  'CrisisRegistered',
];

function statements(db: ReadDb, t: TableNamer) {
  return {
    insertEntry: db.prepare(
      `INSERT INTO ${t('entries')} (entry_id, crisis_id, type, status, start_ms, end_ms, seq, source_id, reliability_rank, credibility, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT CASE reliability ${rankCase()} END FROM ${t('sources')} WHERE source_id = ?), NULL, ?)`,
    ),
    selectEntry: db.prepare<[string], { entry_no: number; doc: string }>(
      `SELECT entry_no, doc FROM ${t('entries')} WHERE entry_id = ?`,
    ),
    updateEntry: db.prepare(
      `UPDATE ${t('entries')} SET status = ?, start_ms = ?, end_ms = ?, source_id = ?, credibility = ?, doc = ?,
       reliability_rank = (SELECT CASE reliability ${rankCase()} END FROM ${t('sources')} WHERE source_id = ?) WHERE entry_no = ?`,
    ),
    deleteActors: db.prepare(`DELETE FROM ${t('entry_actors')} WHERE entry_no = ?`),
    insertActor: db.prepare(
      `INSERT OR IGNORE INTO ${t('entry_actors')} (entry_no, actor_id, role) VALUES (?, ?, ?)`,
    ),
    deleteSearch: db.prepare(`DELETE FROM ${t('search')} WHERE rowid = ?`),
    insertSearch: db.prepare(`INSERT INTO ${t('search')} (rowid, summary, quote, place) VALUES (?, ?, ?, ?)`),
    insertHistory: db.prepare(
      `INSERT OR IGNORE INTO ${t('history')} (entry_id, revision, seq, event_id, type, position, recorded_at, principal, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertActor: db.prepare(
      `INSERT INTO ${t('actors')} (actor_id, name, kind, parent_id, member_of) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (actor_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id,
       member_of = excluded.member_of`,
    ),
    selectActor: db.prepare<
      [string],
      { name: string; kind: string; parent_id: string | null; member_of: string }
    >(`SELECT name, kind, parent_id, member_of FROM ${t('actors')} WHERE actor_id = ?`),
    upsertSource: db.prepare(
      `INSERT INTO ${t('sources')} (source_id, name, kind, reliability) VALUES (?, ?, ?, NULL)
       ON CONFLICT (source_id) DO UPDATE SET name = excluded.name, kind = excluded.kind`,
    ),
    gradeSource: db.prepare(`UPDATE ${t('sources')} SET reliability = ? WHERE source_id = ?`),
    rerankEntries: db.prepare(`UPDATE ${t('entries')} SET reliability_rank = ? WHERE source_id = ?`),
    insertCrisis: db.prepare(
      `INSERT OR IGNORE INTO ${t('crises')} (crisis_id, name, description, countries, registered_at) VALUES (?, ?, ?, ?, ?)`,
    ),
  };
}

function rankCase(): string {
  return Object.entries(RELIABILITY_RANK)
    .map(([letter, rank]) => `WHEN '${letter}' THEN ${rank}`)
    .join(' ');
}

/**
 * One row per entry in its current state (corrections applied, status, grade, counts, links), its
 * full history, and the names and grades it shows. Ordered by when things happened, then log order.
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  version: 1,
  handles: new Set([...REPORT_TYPE_NAMES, ...FOLLOW_UP_TYPE_NAMES, ...REGISTRY_TYPES]),
  tables: TIMELINE_TABLES,
  schema: timelineSchema,
  bind(db, t) {
    const sql = statements(db, t);

    const load = (entryId: string): { no: number; doc: TimelineDoc } | null => {
      const row = sql.selectEntry.get(entryId);
      return row ? { no: row.entry_no, doc: JSON.parse(row.doc) as TimelineDoc } : null;
    };

    const index = (no: number, report: ReportData): void => {
      sql.deleteActors.run(no);
      for (const a of report.actors) sql.insertActor.run(no, a.actorId, a.role);
      sql.deleteSearch.run(no);
      sql.insertSearch.run(no, report.summary, report.quote ?? '', report.location?.name ?? '');
    };

    const save = (no: number, doc: TimelineDoc): void => {
      const r = doc.report;
      sql.updateEntry.run(
        doc.status,
        Date.parse(r.occurred.start),
        Date.parse(r.occurred.end),
        r.attribution.sourceId,
        doc.credibility?.value ?? null,
        JSON.stringify(doc),
        r.attribution.sourceId,
        no,
      );
    };

    const history = (event: RecordedEvent, entryId: string, seq: number): void => {
      sql.insertHistory.run(
        entryId,
        event.revision,
        seq,
        event.id,
        event.type,
        formatPosition(event.position),
        event.metadata.recordedAt,
        event.metadata.principal,
        JSON.stringify(event.data),
      );
    };

    const report = (event: RecordedEvent, seq: number): void => {
      const data = event.data as unknown as ReportData;
      const doc = newDoc(data.entryId, event.type, data, {
        recordedAt: event.metadata.recordedAt,
        position: formatPosition(event.position),
      });
      const { lastInsertRowid } = sql.insertEntry.run(
        data.entryId,
        data.crisisId,
        event.type,
        doc.status,
        Date.parse(data.occurred.start),
        Date.parse(data.occurred.end),
        seq,
        data.attribution.sourceId,
        data.attribution.sourceId,
        JSON.stringify(doc),
      );
      index(Number(lastInsertRowid), data);
      history(event, data.entryId, seq);
      const denied = data.deniedEntryId;
      if (typeof denied === 'string') link(data.entryId, denied, 'denial');
    };

    /** `from` counters `to`: both documents show the link. */
    const link = (from: string, to: string, how: 'dispute' | 'denial'): void => {
      const a = load(from);
      const b = load(to);
      if (a && !a.doc.counters.some((c) => c.entryId === to))
        save(a.no, { ...a.doc, counters: [...a.doc.counters, { entryId: to, how }] });
      if (b && !b.doc.counteredBy.some((c) => c.entryId === from)) {
        save(b.no, { ...b.doc, counteredBy: [...b.doc.counteredBy, { entryId: from, how }] });
      }
    };

    const followUp = (event: RecordedEvent, seq: number): void => {
      const entryId = (event.data as { entryId: string }).entryId;
      const found = load(entryId);
      if (!found) return;
      const { no, doc } = found;
      const at = event.metadata.recordedAt;
      let changes: FollowUp;
      switch (event.type) {
        case 'EntryCorroborated': {
          const d = event.data as unknown as EntryCorroboratedData;
          changes = { corroborations: [...doc.corroborations, { ...d, recordedAt: at }] };
          break;
        }
        case 'EntryDisputed': {
          const d = event.data as unknown as EntryDisputedData;
          changes = {
            disputes: [
              ...doc.disputes,
              { byActorId: d.byActorId, counterEntryId: d.counterEntryId, reason: d.reason, recordedAt: at },
            ],
          };
          break;
        }
        case 'EntryCorrected':
          changes = corrected(doc, (event.data as unknown as EntryCorrectedData).changes);
          break;
        case 'EntryRetracted':
          changes = {
            retraction: { reason: (event.data as unknown as EntryRetractedData).reason, recordedAt: at },
          };
          break;
        default: {
          const d = event.data as unknown as CredibilityAssessedData;
          changes = { credibility: { value: d.credibility, rationale: d.rationale } };
        }
      }
      const next = withFollowUp(doc, {
        ...changes,
        updatedAt: at,
        revision: Number(event.revision),
        position: formatPosition(event.position),
      });
      save(no, next);
      if (event.type === 'EntryCorrected') index(no, next.report);
      history(event, entryId, seq);
      const counter = (event.data as { counterEntryId?: string }).counterEntryId;
      if (event.type === 'EntryDisputed' && counter) link(counter, entryId, 'dispute');
    };

    const registry = (event: RecordedEvent): void => {
      switch (event.type) {
        case 'ActorRegistered': {
          const d = event.data as unknown as ActorRegisteredData;
          sql.upsertActor.run(
            d.actorId,
            d.name,
            d.kind,
            d.parentId ?? null,
            JSON.stringify(d.memberOf ?? []),
          );
          break;
        }
        case 'ActorDetailsChanged': {
          const d = event.data as unknown as ActorDetailsChangedData;
          const cur = sql.selectActor.get(d.actorId);
          if (!cur) return;
          sql.upsertActor.run(
            d.actorId,
            d.name ?? cur.name,
            d.kind ?? cur.kind,
            d.parentId ?? cur.parent_id,
            d.memberOf ? JSON.stringify(d.memberOf) : cur.member_of,
          );
          break;
        }
        case 'SourceRegistered': {
          const d = event.data as unknown as SourceRegisteredData;
          sql.upsertSource.run(d.sourceId, d.name, d.kind);
          break;
        }
        case 'SourceGraded': {
          const d = event.data as unknown as SourceGradedData;
          sql.gradeSource.run(d.reliability, d.sourceId);
          sql.rerankEntries.run(RELIABILITY_RANK[d.reliability] ?? null, d.sourceId);
          break;
        }
        case 'CrisisRegistered': {
          const d = event.data as unknown as CrisisRegisteredData;
          sql.insertCrisis.run(
            d.crisisId,
            d.name,
            d.description ?? null,
            JSON.stringify(d.countries ?? []),
            event.metadata.recordedAt,
          );
          break;
        }
      }
    };

    return (event: RecordedEvent, { seq }: ApplyContext) => {
      if (isReportType(event.type)) report(event, seq);
      else if ((FOLLOW_UP_TYPE_NAMES as readonly string[]).includes(event.type)) followUp(event, seq);
      else registry(event);
    };
  },
};
