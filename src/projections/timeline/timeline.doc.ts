import {
  applyCorrection,
  deriveStatus,
  type CorrectableReport,
  type EntryStatus,
  type LinkRelation,
  type ReportData,
} from '../../chronology/events';

/** What the timeline keeps per entry: the report as it stands and what followed it. */
export interface TimelineDoc {
  readonly entryId: string;
  readonly type: string;
  readonly report: ReportData;
  readonly status: EntryStatus;
  readonly corroborations: ReadonlyArray<{
    sourceId: string;
    url?: string;
    note?: string;
    recordedAt: string;
  }>;
  /** Disputes by an actor, a source or both; of one `field` of the report, or of all of it. */
  readonly disputes: ReadonlyArray<{
    byActorId?: string;
    bySourceId?: string;
    field?: string;
    alternative?: string;
    counterEntryId?: string;
    reason: string;
    recordedAt: string;
  }>;
  /** Entries whose claims this entry counters (it was named as their counter-claim or denies them). */
  readonly counters: ReadonlyArray<{ entryId: string; how: 'dispute' | 'denial' }>;
  /** Entries that counter this one. */
  readonly counteredBy: ReadonlyArray<{ entryId: string; how: 'dispute' | 'denial' }>;
  /** Links in force with other entries: `out` from this entry to `entryId`, `in` from it to this one. */
  readonly links: readonly EntryLinkView[];
  readonly credibility: { value: number; rationale: string } | null;
  readonly retraction: { reason: string; recordedAt: string } | null;
  readonly corrections: number;
  readonly recordedAt: string;
  readonly updatedAt: string;
  readonly revision: number;
  readonly firstPosition: string;
  readonly position: string;
}

export interface EntryLinkView {
  readonly linkId: string;
  readonly relation: LinkRelation;
  readonly direction: 'out' | 'in';
  readonly entryId: string;
  readonly sourceId: string;
  readonly claimantActorId?: string;
  readonly note?: string;
  readonly recordedAt: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type FollowUp = Partial<Mutable<TimelineDoc>>;

export function newDoc(
  entryId: string,
  type: string,
  report: ReportData,
  at: { recordedAt: string; position: string },
): TimelineDoc {
  return {
    entryId,
    type,
    report,
    status: 'reported',
    corroborations: [],
    disputes: [],
    counters: [],
    counteredBy: [],
    links: [],
    credibility: null,
    retraction: null,
    corrections: 0,
    recordedAt: at.recordedAt,
    updatedAt: at.recordedAt,
    revision: 0,
    firstPosition: at.position,
    position: at.position,
  };
}

/** Applies a follow-up's changes and recomputes the status from the facts. */
export function withFollowUp(doc: TimelineDoc, changes: FollowUp): TimelineDoc {
  const next = { ...doc, ...changes };
  return {
    ...next,
    status: deriveStatus({
      retracted: next.retraction !== null,
      credibility: next.credibility?.value ?? null,
      disputes: next.disputes.length,
      corroborations: next.corroborations.length,
    }),
  };
}

export function corrected(doc: TimelineDoc, changes: CorrectableReport): FollowUp {
  return { report: applyCorrection(doc.report, changes), corrections: doc.corrections + 1 };
}
