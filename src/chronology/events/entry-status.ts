import type { CorrectableReport, ReportData } from './event-data';

export const ENTRY_STATUSES = [
  'reported',
  'corroborated',
  'disputed',
  'confirmed',
  'refuted',
  'retracted',
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface StatusFacts {
  readonly retracted: boolean;
  /** The latest credibility assessment (1..6), if any. */
  readonly credibility: number | null;
  readonly disputes: number;
  readonly corroborations: number;
}

/**
 * reported -> corroborated | disputed -> confirmed | refuted | retracted.
 * A retraction is final. The latest assessment decides confirmed (credibility 1, "confirmed by other
 * sources") and refuted (5, "improbable"); otherwise an open dispute outweighs corroboration.
 */
export function deriveStatus(f: StatusFacts): EntryStatus {
  if (f.retracted) return 'retracted';
  if (f.credibility === 1) return 'confirmed';
  if (f.credibility === 5) return 'refuted';
  if (f.disputes > 0) return 'disputed';
  if (f.corroborations > 0) return 'corroborated';
  return 'reported';
}

/** A correction replaces whole top-level fields; what it does not name stays as it was. */
export function applyCorrection(report: ReportData, changes: CorrectableReport): ReportData {
  return { ...report, ...changes };
}
