import type { ApiKeyIssuedData, ApiKeyRevokedData } from '../../auth/access.model';
import type { EventMetadata, JsonObject, Position, RecordedEvent } from '../../event-store';
import type {
  ActorAliasAddedData,
  ActorDetailsChangedData,
  ActorRegisteredData,
  ActorRelationStatedData,
  CredibilityAssessedData,
  CrisisRegisteredData,
  EntryCorrectedData,
  EntryCorroboratedData,
  EntryDisputedData,
  EntryLinkedData,
  EntryUnlinkedData,
  EntryRetractedData,
  MeasureRegisteredData,
  MeasureStatusChangedData,
  ReportDataOf,
  SourceGradedData,
  SourceRegisteredData,
} from './event-data';
import type { FollowUpTypeName, ReportTypeName } from './report-type-names';

/** The data of every event type the log holds, at its current schema version. */
export type StoredData = { readonly [K in ReportTypeName]: ReportDataOf<K> } & {
  readonly EntryCorroborated: EntryCorroboratedData;
  readonly EntryDisputed: EntryDisputedData;
  readonly EntryCorrected: EntryCorrectedData;
  readonly EntryRetracted: EntryRetractedData;
  readonly CredibilityAssessed: CredibilityAssessedData;
  readonly ActorRegistered: ActorRegisteredData;
  readonly ActorAliasAdded: ActorAliasAddedData;
  readonly ActorDetailsChanged: ActorDetailsChangedData;
  readonly ActorRelationStated: ActorRelationStatedData;
  readonly SourceRegistered: SourceRegisteredData;
  readonly SourceGraded: SourceGradedData;
  readonly CrisisRegistered: CrisisRegisteredData;
  readonly EntryLinked: EntryLinkedData;
  readonly EntryUnlinked: EntryUnlinkedData;
  readonly MeasureRegistered: MeasureRegisteredData;
  readonly MeasureStatusChanged: MeasureStatusChangedData;
  readonly ApiKeyIssued: ApiKeyIssuedData;
  readonly ApiKeyRevoked: ApiKeyRevokedData;
};

export type StoredEventType = keyof StoredData;

/** One stored event as a discriminated union on `type`: narrowing the type narrows the data. */
export type StoredEvent = {
  readonly [K in StoredEventType]: { readonly type: K; readonly data: StoredData[K] };
}[StoredEventType];

/** Where an event sits in the log, and who wrote it when. */
export interface LogEnvelope {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: Position;
  /** The current schema version of its type: `data` has that version's shape. */
  readonly schemaVersion: number;
  readonly metadata: EventMetadata;
  /** The event exactly as the store holds it (what the audit log hashes, what the raw feed sends). */
  readonly recorded: RecordedEvent;
}

/** The `type` of an event whose stored type this version does not know. */
export const OPAQUE_TYPE = '(unknown type)';

/**
 * An event of a type this version does not know (written by another application sharing the
 * store, or by a newer version): it keeps its place in the log (the log and audit projections
 * record it, the raw feed sends it as stored), and no typed projection sees it.
 */
export interface OpaqueLogEvent extends LogEnvelope {
  readonly type: typeof OPAQUE_TYPE;
  readonly data: JsonObject;
}

/**
 * An event read from the log, decoded once (type checked, data upcast to the current version),
 * as projections, live feeds, the audit log and the write side receive it.
 */
export type LogEvent = (StoredEvent & LogEnvelope) | OpaqueLogEvent;

/** A report (the event that starts an entry) read from the log. */
export type ReportLogEvent = Extract<LogEvent, { readonly type: ReportTypeName }>;

/** A follow-up on an entry read from the log. */
export type FollowUpLogEvent = Extract<LogEvent, { readonly type: FollowUpTypeName }>;
