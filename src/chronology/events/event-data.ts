import type { Temporal } from '../../shared/time';
import type { Codes } from './event-type';
import type { ActorKind, ActorRole, Credibility, QuantityKind, Reliability, SourceKind } from './vocabulary';

/**
 * The stored data of each event, as projections read it. Requests are validated by the DTOs;
 * what is stored is normalised (times in UTC with zone and precision, codes attached).
 */

export interface ActorRef {
  readonly actorId: string;
  readonly role: ActorRole;
}

export interface Attribution {
  readonly sourceId: string;
  readonly url?: string;
  readonly publishedAt?: string;
  readonly via?: readonly string[];
}

export interface Quantity {
  readonly kind: QuantityKind;
  readonly low: number;
  readonly best?: number;
  readonly high: number;
  readonly unit?: string;
  readonly asReported: string;
}

export interface Location {
  readonly name: string;
  readonly countryCode: string;
  readonly admin1?: string;
  readonly lat?: number;
  readonly lon?: number;
  readonly geoPrecision: 1 | 2 | 3;
}

/** Data of every report event: the common fields plus the type's own fields. */
export interface ReportData {
  readonly entryId: string;
  readonly crisisId: string;
  readonly summary: string;
  readonly quote?: string;
  readonly occurred: Temporal;
  readonly reportedAt?: string;
  readonly location?: Location;
  readonly actors: readonly ActorRef[];
  readonly attribution: Attribution;
  readonly quantities?: readonly Quantity[];
  readonly codes: Codes;
  readonly [typeSpecific: string]: unknown;
}

/**
 * Fields a correction may change: everything but the entry id, the crisis and the type. Codes are
 * never given by a client; the server recomputes them when a correction changes what they depend on.
 */
export interface CorrectableReport {
  readonly summary?: string;
  readonly quote?: string;
  readonly occurred?: Temporal;
  readonly reportedAt?: string;
  readonly location?: Location;
  readonly actors?: readonly ActorRef[];
  readonly attribution?: Attribution;
  readonly quantities?: readonly Quantity[];
  readonly codes?: Codes;
  readonly [typeSpecific: string]: unknown;
}

export interface EntryCorroboratedData {
  readonly entryId: string;
  readonly sourceId: string;
  readonly url?: string;
  readonly note?: string;
}

export interface EntryDisputedData {
  readonly entryId: string;
  readonly byActorId: string;
  readonly counterEntryId?: string;
  readonly reason: string;
}

export interface EntryCorrectedData {
  readonly entryId: string;
  readonly changes: CorrectableReport;
  readonly reason: string;
}

export interface EntryRetractedData {
  readonly entryId: string;
  readonly reason: string;
}

export interface CredibilityAssessedData {
  readonly entryId: string;
  readonly credibility: Credibility;
  readonly rationale: string;
}

export interface ActorRegisteredData {
  readonly actorId: string;
  readonly name: string;
  readonly kind: ActorKind;
  readonly countryCode?: string;
  readonly parentId?: string;
  readonly memberOf?: readonly string[];
  readonly aliases?: readonly string[];
}

export interface ActorAliasAddedData {
  readonly actorId: string;
  readonly alias: string;
}

export type ActorDetailsChangedData = { readonly actorId: string } & Partial<
  Pick<ActorRegisteredData, 'name' | 'kind' | 'countryCode' | 'parentId' | 'memberOf'>
>;

export interface SourceRegisteredData {
  readonly sourceId: string;
  readonly name: string;
  readonly kind: SourceKind;
  readonly url?: string;
  readonly affiliatedActorId?: string;
}

export interface SourceGradedData {
  readonly sourceId: string;
  readonly reliability: Reliability;
  readonly rationale: string;
}

export interface CrisisRegisteredData {
  readonly crisisId: string;
  readonly name: string;
  readonly description?: string;
  readonly countries?: readonly string[];
}
