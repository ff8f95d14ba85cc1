/** Closed vocabularies of the domain (domain.md). */

export const ACTOR_ROLES = ['agent', 'target', 'claimant', 'subject', 'participant'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/**
 * Common actor kinds. The vocabulary is open: any lowercase code (a slug) is accepted, so a kind
 * outside this list ("militia-coalition", "de-facto-authority") needs no release; these are the
 * codes the team uses, and filters take any code.
 */
export const ACTOR_KINDS = [
  'state',
  'government-body',
  'armed-force',
  'armed-group',
  'person',
  'international-org',
  'media',
  'other',
] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number] | (string & {});

/**
 * Relations between actors that hold for a period: membership (which rolls an actor's entries up
 * into the body's, for entries within the period), command, and recognition or its refusal.
 */
export const ACTOR_RELATIONS = ['member-of', 'commands', 'recognises', 'does-not-recognise'] as const;
export type ActorRelation = (typeof ACTOR_RELATIONS)[number];

export const SOURCE_KINDS = ['outlet', 'official', 'intelligence', 'social', 'ngo', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** NATO Admiralty system: source reliability A (completely reliable) .. F (cannot be judged). */
export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITY)[number];

/** Information credibility 1 (confirmed) .. 6 (cannot be judged). */
export const CREDIBILITY = [1, 2, 3, 4, 5, 6] as const;
export type Credibility = (typeof CREDIBILITY)[number];

export const QUANTITY_KINDS = [
  'troops',
  'btg',
  'aircraft',
  'helicopters',
  'ships',
  'vehicles',
  'tanks',
  'violations',
  'injured',
  'killed',
  'displaced',
  'detained',
  'diplomats',
  'other',
] as const;
export type QuantityKind = (typeof QUANTITY_KINDS)[number];

/** PLOVER root event types (Open Event Data Alliance), plus ACCUSE as the team's domain uses it. */
export const PLOVER_TYPES = [
  'AGREE',
  'CONSULT',
  'SUPPORT',
  'CONCEDE',
  'COOPERATE',
  'AID',
  'RETREAT',
  'INVESTIGATE',
  'DEMAND',
  'DISAPPROVE',
  'ACCUSE',
  'REJECT',
  'THREATEN',
  'PROTEST',
  'CRIME',
  'SANCTION',
  'MOBILIZE',
  'COERCE',
  'ASSAULT',
] as const;
export type PloverType = (typeof PLOVER_TYPES)[number];

/**
 * How one entry bears on another (from -> to): `precedes` (happened before), `causes`,
 * `responds-to`, `confirms`, `part-of`, `same-report` (both come from one report or readout),
 * `announces` (an announcement -> the act it announces).
 */
export const LINK_RELATIONS = [
  'precedes',
  'causes',
  'responds-to',
  'confirms',
  'part-of',
  'same-report',
  'announces',
] as const;
export type LinkRelation = (typeof LINK_RELATIONS)[number];

/** The fields every report type has (given or not), besides its entry id, crisis and codes. */
export const REPORT_COMMON_FIELDS = [
  'summary',
  'quote',
  'occurred',
  'reportedAt',
  'locations',
  'actors',
  'actingChain',
  'attribution',
  'quantities',
] as const;

/**
 * Fields of a report a dispute can name: the common fields and the types' own. A field-level
 * dispute contests that field only; the rest of the entry stands.
 */
export const DISPUTABLE_FIELDS = [
  ...REPORT_COMMON_FIELDS,
  'equipment',
  'unit',
  'origin',
  'destination',
  'assets',
  'diplomat',
  'weapons',
  'targets',
  'agreement',
  'allegation',
  'denies',
  'mode',
  'status',
  'measures',
  'territories',
  'market',
  'changePercent',
  'basis',
] as const;
export type DisputableField = (typeof DISPUTABLE_FIELDS)[number];

/** How an actor of an acting chain took part: gave the order, directed it, carried it out. */
export const ACTING_AS = ['ordered', 'directed', 'carried-out'] as const;
export type ActingAs = (typeof ACTING_AS)[number];

/**
 * What a report of forces or attacks rests on: an order (a decree sending troops), an
 * announcement, an observation (troops seen there), or a claim. A decree is not troops seen.
 */
export const REPORT_BASES = ['ordered', 'announced', 'observed', 'claimed'] as const;
export type ReportBasis = (typeof REPORT_BASES)[number];

/** How a hop of an attribution chain passed the claim on: the hedge its words carry. */
export const HEDGES = ['stated', 'claimed', 'reported', 'alleged', 'believed', 'confirmed'] as const;
export type Hedge = (typeof HEDGES)[number];

/**
 * What a place is to a report: where it happened, what was targeted, where forces or people came
 * from, where they went.
 */
export const LOCATION_ROLES = ['where', 'target', 'origin', 'destination'] as const;
export type LocationRole = (typeof LOCATION_ROLES)[number];

export const CONTACT_MODES = [
  'phone',
  'visit',
  'host-visit',
  'third-location',
  'letter',
  'video',
  'meeting',
] as const;
export type ContactMode = (typeof CONTACT_MODES)[number];

/** Kinds of measure: sanctions and the other steps one party takes against another. */
export const MEASURE_KINDS = [
  'sanctions',
  'asset-freeze',
  'export-control',
  'trade-restriction',
  'travel-ban',
  'airspace-closure',
  'energy-project-halt',
  'treaty-suspension',
  'diplomatic-downgrade',
  'other',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/**
 * The states of a measure's lifecycle: before it is in force (discussed, proposed, planned,
 * announced), in force (imposed, extended, partly-lifted), suspended, and lifted.
 */
export const MEASURE_STATES = [
  'discussed',
  'proposed',
  'planned',
  'announced',
  'imposed',
  'extended',
  'partly-lifted',
  'suspended',
  'lifted',
] as const;
export type MeasureState = (typeof MEASURE_STATES)[number];

export const SANCTION_STATUSES = ['threatened', 'imposed'] as const;
export type SanctionStatus = (typeof SANCTION_STATUSES)[number];
