import {
  FOLLOW_UP_TYPE_NAMES,
  REPORT_TYPE_NAMES,
  isFollowUpEvent,
  isReportEvent,
  streamOf,
  type FollowUpLogEvent,
  type LogEvent,
  type ReportData,
  type ReportLogEvent,
} from '../../chronology/events';
import { formatPosition } from '../../event-store';
import type { ApplyContext, Projection, ReadDb, TableNamer } from '../projection';
import { corrected, newDoc, withFollowUp, type FollowUp, type TimelineDoc } from './timeline.doc';
import { KeyIndex } from './timeline.key-index';
import { TIMELINE_TABLES, timelineSchema } from './timeline.schema';
import { EntryVersions, type At } from './timeline.versions';

function statements(db: ReadDb, t: TableNamer) {
  return {
    closeLinks: db.prepare(`UPDATE ${t('actor_links')} SET to_seq = ? WHERE entry_no = ? AND to_seq IS NULL`),
    insertLink: db.prepare(
      `INSERT OR IGNORE INTO ${t('actor_links')} (entry_no, actor_id, role, from_seq, to_seq) VALUES (?, ?, ?, ?, NULL)`,
    ),
    closeText: db.prepare(`UPDATE ${t('texts')} SET to_seq = ? WHERE entry_no = ? AND to_seq IS NULL`),
    insertText: db.prepare(`INSERT INTO ${t('texts')} (entry_no, from_seq, to_seq) VALUES (?, ?, NULL)`),
    insertSearch: db.prepare(`INSERT INTO ${t('search')} (rowid, summary, quote, place) VALUES (?, ?, ?, ?)`),
    insertHistory: db.prepare(
      `INSERT OR IGNORE INTO ${t('history')} (entry_id, revision, seq, event_id, type, position, recorded_at, principal, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertEntryLink: db.prepare(
      `INSERT OR IGNORE INTO ${t('links')} (link_id, from_entry, to_entry) VALUES (?, ?, ?)`,
    ),
    linkById: db.prepare<[string], { from_entry: string; to_entry: string }>(
      `SELECT from_entry, to_entry FROM ${t('links')} WHERE link_id = ?`,
    ),
    insertCrisis: db.prepare(
      `INSERT OR IGNORE INTO ${t('crises')} (crisis_id, name, description, countries, from_seq, registered_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
  };
}

type Sql = ReturnType<typeof statements>;

/** Versions what the timeline filters on besides the row itself: actors and searchable text. */
function writeIndexes(
  sql: Sql,
  entryNo: number,
  seq: number,
  report: ReportData,
  parts: { actors: boolean; text: boolean },
): void {
  if (parts.actors) {
    sql.closeLinks.run(seq, entryNo);
    for (const a of report.actors) sql.insertLink.run(entryNo, a.actorId, a.role, seq);
  }
  if (parts.text) {
    sql.closeText.run(seq, entryNo);
    const { lastInsertRowid } = sql.insertText.run(entryNo, seq);
    sql.insertSearch.run(
      lastInsertRowid,
      report.summary,
      report.quote ?? '',
      (report.locations ?? []).map((l) => l.name).join(' · '),
    );
  }
}

function followUpChanges(event: FollowUpLogEvent, doc: TimelineDoc): FollowUp {
  const at = event.metadata.recordedAt;
  switch (event.type) {
    case 'EntryCorroborated':
      return { corroborations: [...doc.corroborations, { ...event.data, recordedAt: at }] };
    case 'EntryDisputed': {
      const d = event.data;
      const dispute = {
        ...(d.byActorId ? { byActorId: d.byActorId } : {}),
        ...(d.bySourceId ? { bySourceId: d.bySourceId } : {}),
        ...(d.field ? { field: d.field } : {}),
        ...(d.alternative ? { alternative: d.alternative } : {}),
        reason: d.reason,
        recordedAt: at,
        ...(d.counterEntryId ? { counterEntryId: d.counterEntryId } : {}),
      };
      return { disputes: [...doc.disputes, dispute] };
    }
    case 'EntryCorrected':
      return corrected(doc, event.data.changes);
    case 'EntryRetracted':
      return { retraction: { reason: event.data.reason, recordedAt: at } };
    case 'CredibilityAssessed':
      return { credibility: { value: event.data.credibility, rationale: event.data.rationale } };
  }
}

/**
 * One versioned row per entry (corrections applied, status, counts, links to counter-claims), the
 * versioned actors and text it is found by, and its full history. Ordered by when things happened.
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  version: 10,
  handles: new Set([
    ...REPORT_TYPE_NAMES,
    ...FOLLOW_UP_TYPE_NAMES,
    'CrisisRegistered',
    'ActorRegistered',
    'ActorDetailsChanged',
    'ActorRelationStated',
    'SourceRegistered',
    'EntryLinked',
    'EntryUnlinked',
  ]),
  tables: TIMELINE_TABLES,
  schema: timelineSchema,
  bind(db, t) {
    const sql = statements(db, t);
    const keys = new KeyIndex(db, t);
    const versions = new EntryVersions(db, t, keys);
    /** The entry's history shows each event's data in its current shape. */
    const history = (event: LogEvent, entryId: string, seq: number): void => {
      const m = event.metadata;
      sql.insertHistory.run(
        entryId,
        event.revision,
        seq,
        event.id,
        event.type,
        formatPosition(event.position),
        m.recordedAt,
        m.principal,
        JSON.stringify(event.data),
      );
    };
    /** `from` counters `to`: both entries get a version showing the link. */
    const link = (at: At, from: string, to: string, how: 'dispute' | 'denial'): void => {
      for (const [id, other, side] of [
        [from, to, 'counters'],
        [to, from, 'counteredBy'],
      ] as const) {
        const found = versions.load(id);
        if (!found || found.doc[side].some((c) => c.entryId === other)) continue;
        const primary = at.event.stream === streamOf('entry', id);
        const doc = { ...found.doc, [side]: [...found.doc[side], { entryId: other, how }] };
        versions.write(at, found.entry, found, doc, primary);
      }
    };

    const report = (event: ReportLogEvent, seq: number): void => {
      const data: ReportData = event.data;
      const doc = newDoc(data.entryId, event.type, data, {
        recordedAt: event.metadata.recordedAt,
        position: formatPosition(event.position),
      });
      const entry = versions.add(data.entryId, seq);
      versions.write({ event, seq }, entry, null, doc, true);
      writeIndexes(sql, entry.no, seq, data, { actors: true, text: true });
      history(event, data.entryId, seq);
      if (data.deniedEntryId !== undefined) link({ event, seq }, data.entryId, data.deniedEntryId, 'denial');
    };

    const followUp = (event: FollowUpLogEvent, seq: number): void => {
      const { entryId } = event.data;
      const found = versions.load(entryId);
      if (!found) return;
      const changes = followUpChanges(event, found.doc);
      const doc = withFollowUp(found.doc, {
        ...changes,
        updatedAt: event.metadata.recordedAt,
        revision: Number(event.revision),
        position: formatPosition(event.position),
      });
      versions.write({ event, seq }, found.entry, found, doc, true);
      if (event.type === 'EntryCorrected') {
        const c = event.data.changes;
        writeIndexes(sql, found.entry.no, seq, doc.report, {
          actors: c.actors !== undefined,
          text: c.summary !== undefined || c.quote !== undefined || c.locations !== undefined,
        });
      }
      history(event, entryId, seq);
      if (event.type === 'EntryDisputed' && event.data.counterEntryId)
        link({ event, seq }, event.data.counterEntryId, entryId, 'dispute');
    };

    /** A link in force shows on both entries (a version each), and indexes each under the other. */
    const entryLink = (event: LogEvent, seq: number): void => {
      if (event.type === 'EntryLinked') {
        const d = event.data;
        sql.insertEntryLink.run(d.linkId, d.fromEntryId, d.toEntryId);
        const view = {
          linkId: d.linkId,
          relation: d.relation,
          sourceId: d.sourceId,
          ...(d.claimantActorId ? { claimantActorId: d.claimantActorId } : {}),
          ...(d.note ? { note: d.note } : {}),
          recordedAt: event.metadata.recordedAt,
        };
        relink({ event, seq }, d.fromEntryId, (links) => [
          ...links,
          { ...view, direction: 'out', entryId: d.toEntryId },
        ]);
        relink({ event, seq }, d.toEntryId, (links) => [
          ...links,
          { ...view, direction: 'in', entryId: d.fromEntryId },
        ]);
      } else if (event.type === 'EntryUnlinked') {
        const { linkId } = event.data;
        const found = sql.linkById.get(linkId);
        if (!found) return;
        for (const entryId of [found.from_entry, found.to_entry])
          relink({ event, seq }, entryId, (links) => links.filter((l) => l.linkId !== linkId));
      }
    };
    const relink = (
      at: At,
      entryId: string,
      change: (links: TimelineDoc['links']) => TimelineDoc['links'],
    ): void => {
      const found = versions.load(entryId);
      if (!found) return;
      const doc = { ...found.doc, links: change(found.doc.links) };
      versions.write(at, found.entry, found, doc, false);
    };

    /** Entries are indexed under the actors above theirs (`group` keys): the hierarchy is kept here. */
    const parentsOf = (event: LogEvent): void => {
      if (event.type !== 'ActorRegistered' && event.type !== 'ActorDetailsChanged') return;
      const d = event.data;
      if (event.type === 'ActorDetailsChanged' && d.parentId === undefined && d.memberOf === undefined)
        return;
      const known = event.type === 'ActorDetailsChanged' ? keys.parentsOf(d.actorId) : null;
      // As the actors projection does: details of an actor never registered change nothing.
      if (event.type === 'ActorDetailsChanged' && known === null) return;
      const parentId = d.parentId ?? known?.parentId;
      const memberOf = d.memberOf ?? known?.memberOf ?? [];
      keys.setParents(d.actorId, { parentId, memberOf }, (entryNo) => versions.loadByNo(entryNo));
    };

    const apply = (event: LogEvent, { seq }: ApplyContext): void => {
      if (isReportEvent(event)) report(event, seq);
      else if (event.type === 'ActorRegistered' || event.type === 'ActorDetailsChanged') parentsOf(event);
      else if (event.type === 'SourceRegistered' && event.data.ownActor) {
        // A source's own actor is registered with no parents; details may give it some later.
        const own = event.data.ownActor.actorId;
        keys.setParents(own, { parentId: undefined, memberOf: [] }, (no) => versions.loadByNo(no));
      } else if (event.type === 'ActorRelationStated' && event.data.relation === 'member-of') {
        const d = event.data;
        keys.setMembership(
          d.actorId,
          d.toActorId,
          {
            fromMs: d.validFrom === undefined ? undefined : Date.parse(d.validFrom),
            toMs: d.validTo === undefined ? undefined : Date.parse(d.validTo),
          },
          (entryNo) => versions.loadByNo(entryNo),
        );
      } else if (event.type === 'CrisisRegistered') {
        const d = event.data;
        sql.insertCrisis.run(
          d.crisisId,
          d.name,
          d.description ?? null,
          JSON.stringify(d.countries ?? []),
          seq,
          event.metadata.recordedAt,
        );
      } else if (isFollowUpEvent(event)) followUp(event, seq);
      else if (event.type === 'EntryLinked' || event.type === 'EntryUnlinked') entryLink(event, seq);
    };
    return Object.assign(apply, {
      endBatch: () => keys.writeCounts(),
      abortBatch: () => keys.forgetCounts(),
    });
  },
};
