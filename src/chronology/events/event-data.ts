import type { Temporal } from '../../shared/time';
import type { Codes } from './event-type';
import type { ReportTypeName } from './report-type-names';
import type {
  ActorKind,
  ActorRelation,
  ActorRole,
  ContactMode,
  Credibility,
  DisputableField,
  ActingAs,
  Hedge,
  LinkRelation,
  LocationRole,
  MeasureKind,
  MeasureState,
  PloverType,
  QuantityKind,
  ReportBasis,
  Reliability,
  SanctionStatus,
  SourceKind,
} from './vocabulary';

/**
 * The stored data of each event at its current schema version, as the read side and the deciders
 * read it. This is the stored schema, not the request: requests are validated by the DTOs, and what
 * is stored is normalised (times in UTC with zone and precision, codes attached). Older versions
 * are upcast to these shapes when read (see decode.ts).
 */

export interface ActorRef {
  readonly actorId: string;
  readonly role: ActorRole;
}

/**
 * One hop of an attribution chain: a registered source, a registered actor, or someone the report
 * describes without naming (`anonymous`, with `description`), and the hedge of its words.
 */
export interface AttributionHop {
  readonly sourceId?: string;
  readonly actorId?: string;
  readonly description?: string;
  readonly anonymous?: boolean;
  readonly hedge?: Hedge;
}

export interface ActingHop {
  readonly actorId: string;
  readonly as?: ActingAs;
}

export interface Attribution {
  /** The source that carried the report (the last hop, the one this chronology read). */
  readonly sourceId: string;
  readonly url?: string;
  readonly publishedAt?: string;
  /** Free-text chain (kept as stated; `chain` is the structured one). */
  readonly via?: readonly string[];
  /** The hops the claim travelled before `sourceId`, the origin first. */
  readonly chain?: readonly AttributionHop[];
}

export interface Quantity {
  readonly kind: QuantityKind;
  readonly low: number;
  readonly best?: number;
  readonly high: number;
  readonly unit?: string;
  readonly asReported: string;
}

/**
 * A place a report names, with its role. A place under dispute between states carries
 * `disputed: true` and the states that claim it (`claimedBy`) instead of one side's country code.
 */
export interface Location {
  readonly name: string;
  readonly role: LocationRole;
  readonly countryCode?: string;
  readonly disputed?: boolean;
  readonly claimedBy?: readonly string[];
  readonly admin1?: string;
  readonly lat?: number;
  readonly lon?: number;
  readonly geoPrecision: 1 | 2 | 3;
}

/** The fields every report has. */
export interface ReportCommon {
  readonly entryId: string;
  readonly crisisId: string;
  readonly summary: string;
  readonly quote?: string;
  readonly occurred: Temporal;
  readonly reportedAt?: string;
  /** The places the report names (schema version 1 had one `location`: upcast to a `where`). */
  readonly locations?: readonly Location[];
  readonly actors: readonly ActorRef[];
  /** Who acted through whom, the principal first (a government, its ministry, a unit). */
  readonly actingChain?: readonly ActingHop[];
  readonly attribution: Attribution;
  readonly quantities?: readonly Quantity[];
  readonly codes: Codes;
}

/** Each report type's own fields, beside the common ones. */
export interface ReportFields {
  readonly TroopBuildupReported: { readonly equipment?: readonly string[]; readonly basis?: ReportBasis };
  readonly TroopWithdrawalClaimed: { readonly equipment?: readonly string[]; readonly basis?: ReportBasis };
  readonly DeploymentAnnounced: {
    readonly basis?: ReportBasis;
    readonly unit?: string;
    readonly origin?: string;
    readonly destination: string;
    readonly assets?: readonly string[];
  };
  readonly DiplomatExpelled: {
    readonly diplomat: { readonly name: string; readonly title: string };
    readonly expellingActorId: string;
    readonly sendingActorId: string;
  };
  readonly ShellingAlleged: {
    readonly weapons?: string;
    readonly targets?: readonly string[];
    readonly basis?: ReportBasis;
  };
  readonly CeasefireViolationReported: {
    readonly agreement?: string;
    readonly weapons?: string;
    readonly basis?: ReportBasis;
  };
  readonly StatementMade: { readonly medium?: string };
  readonly AccusationMade: { readonly allegation: string };
  readonly DenialIssued: { readonly denies: string; readonly deniedEntryId?: string };
  readonly DiplomaticContactHeld: { readonly mode: ContactMode };
  readonly SanctionsAnnounced: { readonly status: SanctionStatus; readonly measures?: readonly string[] };
  readonly RecognitionRequested: { readonly territories: readonly string[] };
  readonly RecognitionDeclared: { readonly territories: readonly string[] };
  readonly MarketMoveReported: { readonly market: string; readonly changePercent: number };
  readonly IncidentReported: {
    readonly plover: { readonly type: PloverType; readonly mode?: string };
    readonly cameo?: string;
  };
}

/** The stored data of one report type. */
export type ReportDataOf<K extends ReportTypeName> = ReportCommon & ReportFields[K];

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;

/** Every type-specific field of any report type, each optional (no two types give a name two types). */
export type AnyReportFields = Partial<UnionToIntersection<ReportFields[ReportTypeName]>>;

/**
 * A report of any type, as code that handles every type reads it: the common fields, and whatever
 * type-specific fields it has. A report of a known type is a `ReportDataOf<K>`.
 */
export type ReportData = ReportCommon & AnyReportFields;

/**
 * Fields a correction may change: everything but the entry id, the crisis and the type. Codes are
 * never given by a client; the server recomputes them when a correction changes what they depend on.
 */
export type CorrectableReport = Partial<Omit<ReportCommon, 'entryId' | 'crisisId'>> & AnyReportFields;

/** A measure one party takes against another (sanctions, an airspace closure...), as an entity. */
export interface MeasureRegisteredData {
  readonly measureId: string;
  readonly crisisId: string;
  readonly kind: MeasureKind;
  readonly name: string;
  readonly description?: string;
  /** Who takes the measure. */
  readonly byActorIds: readonly string[];
  /** Whom it is against. */
  readonly targetActorIds: readonly string[];
}

/** A measure moves to a state of its lifecycle, from `effective`, as a source says. */
export interface MeasureStatusChangedData {
  readonly measureId: string;
  readonly status: MeasureState;
  /** When the state applies from (for a plan or an announcement: when it was made). */
  readonly effective: Temporal;
  /** When it is planned to take effect (planned, announced, proposed). */
  readonly plannedFor?: Temporal;
  /** Until when it is to stay in force (imposed, extended). */
  readonly until?: Temporal;
  readonly sourceId: string;
  /** The report that states the change, when it is in the chronology. */
  readonly entryId?: string;
  readonly note?: string;
}

/** An actor's relation to another over [validFrom, validTo) (UTC instants; either open). */
export interface ActorRelationStatedData {
  readonly actorId: string;
  readonly relation: ActorRelation;
  readonly toActorId: string;
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly sourceId?: string;
  readonly note?: string;
}

export interface EntryCorroboratedData {
  readonly entryId: string;
  readonly sourceId: string;
  readonly url?: string;
  readonly note?: string;
}

/** A dispute by an actor or a source (at least one), of the whole entry or of one `field`. */
export interface EntryDisputedData {
  readonly entryId: string;
  readonly byActorId?: string;
  readonly bySourceId?: string;
  readonly field?: DisputableField;
  readonly alternative?: string;
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

/**
 * The actor a source speaks as when it reports on its own account, created with the source (its
 * id is the source's id): the claimant of the source's reports that name none.
 */
export interface OwnActorData {
  readonly actorId: string;
  readonly name: string;
  readonly kind: ActorKind;
  readonly countryCode?: string;
}

/**
 * Schema version 2: a source registered without `affiliatedActorId` carries `ownActor`; one
 * registered with it speaks as that actor and has none. Version 1 (before own actors) has neither
 * own actor nor a way to say so: it is read as is, a source with no own actor.
 */
export interface SourceRegisteredData {
  readonly sourceId: string;
  readonly name: string;
  readonly kind: SourceKind;
  readonly url?: string;
  readonly affiliatedActorId?: string;
  readonly ownActor?: OwnActorData;
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

/** A link between two entries of one crisis, stated by a source (and a claimant, when one is named). */
export interface EntryLinkedData {
  readonly linkId: string;
  readonly crisisId: string;
  readonly fromEntryId: string;
  readonly toEntryId: string;
  readonly relation: LinkRelation;
  readonly sourceId: string;
  readonly claimantActorId?: string;
  readonly note?: string;
}

export interface EntryUnlinkedData {
  readonly crisisId: string;
  readonly linkId: string;
  readonly reason: string;
}
