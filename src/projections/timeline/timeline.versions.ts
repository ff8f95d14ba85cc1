import type { LogEvent } from '../../chronology/events';
import type { ReadDb, TableNamer } from '../projection';
import type { TimelineDoc } from './timeline.doc';
import type { KeyIndex } from './timeline.key-index';
import {
  compareKeys,
  keyOf,
  orderingNeighbours,
  placementOf,
  type Neighbour,
  type SortKey,
} from './timeline.order';

interface CurrentRow {
  entry_no: number;
  first_seq: number;
  sort_ms: number;
  sort_tie: number;
  doc: string;
}

/** An entry as it currently stands in the timeline. */
export interface Loaded {
  readonly entry: { readonly no: number; readonly firstSeq: number };
  readonly doc: TimelineDoc;
  readonly key: SortKey;
}

export interface At {
  readonly event: LogEvent;
  readonly seq: number;
}

/** Re-keyings one event may cause through links (a guard against long chains of ordering links). */
const MAX_REKEYS_PER_EVENT = 64;

const loaded = (row: CurrentRow | undefined): Loaded | null =>
  row
    ? {
        entry: { no: row.entry_no, firstSeq: row.first_seq },
        doc: JSON.parse(row.doc) as TimelineDoc,
        key: { ms: row.sort_ms, tie: row.sort_tie },
      }
    : null;

/**
 * Writes entries' versions: every change closes the entry's current version and opens one with the
 * new document and sort key (timeline.order.ts), and moves its key-index rows. An entry whose key
 * changes may move the entries it is linked with by an ordering relation: they are re-keyed, each
 * a new version at the same event, until no key changes.
 */
export class EntryVersions {
  private readonly sql;

  constructor(
    db: ReadDb,
    t: TableNamer,
    private readonly keys: KeyIndex,
  ) {
    const current = `SELECT v.entry_no, v.first_seq, v.sort_ms, v.sort_tie, v.doc FROM ${t('versions')} v`;
    this.sql = {
      insertEntry: db.prepare(`INSERT INTO ${t('entries')} (entry_id, first_seq) VALUES (?, ?)`),
      current: db.prepare<[string], CurrentRow>(
        `${current} JOIN ${t('entries')} e ON v.entry_no = e.entry_no AND v.to_seq IS NULL WHERE e.entry_id = ?`,
      ),
      currentByNo: db.prepare<[number], CurrentRow>(`${current} WHERE v.entry_no = ? AND v.to_seq IS NULL`),
      closeVersion: db.prepare(
        `UPDATE ${t('versions')} SET to_seq = ? WHERE entry_no = ? AND to_seq IS NULL`,
      ),
      insertVersion: db.prepare(
        `INSERT INTO ${t('versions')} (entry_no, entry_id, from_seq, to_seq, pos_commit, pos_prepare, change, is_primary, first_seq,
           crisis_id, type, status, start_ms, end_ms, sort_ms, sort_tie, source_id, credibility, doc)
         VALUES (@entryNo, @entryId, @seq, NULL, @commit, @prepare, @change, @primary, @firstSeq,
           @crisisId, @type, @status, @startMs, @endMs, @sortMs, @sortTie, @sourceId, @credibility, @doc)`,
      ),
    };
  }

  load(entryId: string): Loaded | null {
    return loaded(this.sql.current.get(entryId));
  }

  loadByNo(entryNo: number): Loaded | null {
    return loaded(this.sql.currentByNo.get(entryNo));
  }

  /** A new entry, numbered; its first version is written by `write`. */
  add(entryId: string, seq: number): { no: number; firstSeq: number } {
    return { no: Number(this.sql.insertEntry.run(entryId, seq).lastInsertRowid), firstSeq: seq };
  }

  /**
   * Writes the entry's new version at `at` (`before`: the version it replaces, null for a new entry),
   * then re-keys the entries its key change moves.
   */
  write(at: At, entry: Loaded['entry'], before: Loaded | null, doc: TimelineDoc, primary: boolean): void {
    const moved = this.writeOne(at, entry, before, doc, primary, this.keyOf(doc, entry.firstSeq));
    if (moved) this.settle(at, [doc]);
  }

  /** Writes one version with its sort key; true when the key changed with it. */
  private writeOne(
    at: At,
    entry: Loaded['entry'],
    before: Loaded | null,
    doc: TimelineDoc,
    primary: boolean,
    key: SortKey,
  ): boolean {
    const r = doc.report;
    this.keys.update(entry.no, before, { doc, key });
    this.sql.closeVersion.run(at.seq, entry.no);
    this.sql.insertVersion.run({
      entryNo: entry.no,
      entryId: doc.entryId,
      seq: at.seq,
      commit: at.event.position.commit,
      prepare: at.event.position.prepare,
      change: primary && at.seq === entry.firstSeq ? 'added' : 'updated',
      primary: primary ? 1 : 0,
      firstSeq: entry.firstSeq,
      crisisId: r.crisisId,
      type: doc.type,
      status: doc.status,
      startMs: Date.parse(r.occurred.start),
      endMs: Date.parse(r.occurred.end),
      sortMs: key.ms,
      sortTie: key.tie,
      sourceId: r.attribution.sourceId,
      credibility: doc.credibility?.value ?? null,
      doc: JSON.stringify(doc),
    });
    return before === null || compareKeys(before.key, key) !== 0;
  }

  private keyOf(doc: TimelineDoc, firstSeq: number): SortKey {
    return keyOf(placementOf(doc, firstSeq), doc.links, (id) => this.neighbour(id));
  }

  private neighbour(entryId: string): Neighbour | null {
    const found = this.load(entryId);
    return found ? { ...placementOf(found.doc, found.entry.firstSeq), key: found.key } : null;
  }

  /** Re-keys, breadth first, the entries linked with those whose keys changed, while keys change. */
  private settle(at: At, changed: TimelineDoc[]): void {
    const queue = changed.flatMap(orderingNeighbours);
    // A key an entry already had in this event means the links go round: stop there.
    const seen = new Set<string>();
    for (let budget = MAX_REKEYS_PER_EVENT; queue.length > 0 && budget > 0; budget--) {
      const found = this.load(queue.shift()!);
      if (!found) continue;
      const key = this.keyOf(found.doc, found.entry.firstSeq);
      if (compareKeys(key, found.key) === 0) continue;
      const visit = `${found.entry.no}:${key.ms}:${key.tie}`;
      if (seen.has(visit)) continue;
      seen.add(visit);
      this.writeOne(at, found.entry, found, found.doc, false, key);
      queue.push(...orderingNeighbours(found.doc));
    }
  }
}
