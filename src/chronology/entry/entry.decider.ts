import { canonicalJson } from '../../shared/canonical-json';
import { AppError } from '../../shared/errors';
import type { Decider } from '../decider';
import { applyCorrection } from '../events/entry-status';
import type {
  CredibilityAssessedData,
  EntryCorrectedData,
  EntryCorroboratedData,
  EntryDisputedData,
  EntryRetractedData,
  ReportData,
} from '../events/event-data';
import { isReportEvent, type ReportTypeName } from '../events/report-type-names';
import { REPORT_COMMON_FIELDS } from '../events/vocabulary';

export type ReportEvent = { readonly type: ReportTypeName; readonly data: ReportData };
export type FollowUpEvent =
  | { readonly type: 'EntryCorroborated'; readonly data: EntryCorroboratedData }
  | { readonly type: 'EntryDisputed'; readonly data: EntryDisputedData }
  | { readonly type: 'EntryCorrected'; readonly data: EntryCorrectedData }
  | { readonly type: 'EntryRetracted'; readonly data: EntryRetractedData }
  | { readonly type: 'CredibilityAssessed'; readonly data: CredibilityAssessedData };
export type EntryEvent = ReportEvent | FollowUpEvent;

export type EntryCommand =
  | { readonly kind: 'ReportEntry'; readonly type: ReportTypeName; readonly data: ReportData }
  | { readonly kind: 'CorroborateEntry'; readonly data: EntryCorroboratedData }
  | { readonly kind: 'DisputeEntry'; readonly data: EntryDisputedData }
  | { readonly kind: 'CorrectEntry'; readonly data: EntryCorrectedData }
  | { readonly kind: 'RetractEntry'; readonly data: EntryRetractedData }
  | { readonly kind: 'AssessCredibility'; readonly data: CredibilityAssessedData };

export interface RecordedEntry {
  readonly exists: true;
  readonly type: ReportTypeName;
  /** The report as it stands now, corrections applied. */
  readonly report: ReportData;
  readonly retracted: boolean;
  readonly corroboratedBy: readonly string[];
  readonly disputedBy: readonly string[];
  readonly credibility: number | null;
}
export type EntryState = { readonly exists: false } | RecordedEntry;

function evolve(state: EntryState, event: EntryEvent): EntryState {
  if (isReportEvent(event)) {
    return {
      exists: true,
      type: event.type,
      report: event.data,
      retracted: false,
      corroboratedBy: [],
      disputedBy: [],
      credibility: null,
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'EntryCorroborated':
      return { ...state, corroboratedBy: [...state.corroboratedBy, event.data.sourceId] };
    case 'EntryDisputed':
      return {
        ...state,
        disputedBy: [...state.disputedBy, event.data.byActorId ?? `source:${event.data.bySourceId}`],
      };
    case 'EntryCorrected':
      return { ...state, report: applyCorrection(state.report, event.data.changes) };
    case 'EntryRetracted':
      return { ...state, retracted: true };
    case 'CredibilityAssessed':
      return { ...state, credibility: event.data.credibility };
  }
}

function existing(state: EntryState, entryId: string, allowRetracted = false): RecordedEntry {
  if (!state.exists)
    throw new AppError('unknown_reference', `entry ${entryId} does not exist`, {
      unknown: { entryId: [entryId] },
    });
  if (state.retracted && !allowRetracted) {
    throw new AppError(
      'entry_retracted',
      `entry ${entryId} was retracted; it takes no further follow-ups except a credibility assessment`,
    );
  }
  return state;
}

const rule = (message: string): AppError => new AppError('rule_violated', message);

/** Fields every report can have, given or not: a dispute may name them on any entry. */
const COMMON_FIELDS: ReadonlySet<string> = new Set(REPORT_COMMON_FIELDS);

function decide(command: EntryCommand, state: EntryState): EntryEvent[] {
  switch (command.kind) {
    case 'ReportEntry':
      if (state.exists) throw new AppError('conflict', `entry ${command.data.entryId} already exists`);
      return [{ type: command.type, data: command.data }];
    case 'CorroborateEntry': {
      const entry = existing(state, command.data.entryId);
      const { sourceId } = command.data;
      if (sourceId === entry.report.attribution.sourceId)
        throw rule(`source ${sourceId} carried the report; it cannot corroborate it`);
      if (entry.corroboratedBy.includes(sourceId))
        throw rule(`source ${sourceId} already corroborated this entry`);
      return [{ type: 'EntryCorroborated', data: command.data }];
    }
    case 'DisputeEntry': {
      const entry = existing(state, command.data.entryId);
      const { byActorId, bySourceId, counterEntryId, field } = command.data;
      if (counterEntryId === command.data.entryId) throw rule('an entry cannot be its own counter-claim');
      if (entry.report.actors.some((a) => a.actorId === byActorId && a.role === 'claimant')) {
        throw rule(
          `${byActorId} is the claimant of this entry; correct or retract it instead of disputing it`,
        );
      }
      if (bySourceId !== undefined && bySourceId === entry.report.attribution.sourceId) {
        throw rule(`source ${bySourceId} carried this report; correct or retract it instead of disputing it`);
      }
      if (field !== undefined && !COMMON_FIELDS.has(field) && !(field in entry.report)) {
        throw rule(`a ${entry.type} entry has no field ${field} to dispute`);
      }
      return [{ type: 'EntryDisputed', data: command.data }];
    }
    case 'CorrectEntry': {
      const entry = existing(state, command.data.entryId);
      const { changes } = command.data;
      const changed = (Object.keys(changes) as Array<keyof typeof changes>).filter(
        (k) => canonicalJson(changes[k] ?? null) !== canonicalJson(entry.report[k] ?? null),
      );
      if (changed.length === 0) throw rule('the correction changes nothing');
      return [{ type: 'EntryCorrected', data: command.data }];
    }
    case 'RetractEntry':
      existing(state, command.data.entryId);
      return [{ type: 'EntryRetracted', data: command.data }];
    case 'AssessCredibility':
      existing(state, command.data.entryId, true);
      return [{ type: 'CredibilityAssessed', data: command.data }];
  }
}

export const entryDecider: Decider<EntryCommand, EntryEvent, EntryState> = {
  initialState: { exists: false },
  evolve,
  decide,
};
