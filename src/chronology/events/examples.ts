import type { KnownTypeName } from './catalogue';

type Data = Record<string, unknown>;

const ENTRY = '6f10c4bb-2f7e-5d31-9a8e-1c2b3d4e5f60';
const OTHER_ENTRY = '0b1e2d3c-4a5b-5c6d-8e7f-9a0b1c2d3e4f';

/** The fields every report carries, as in the sample (February 2022, Kyiv time). */
const report = (extra: Data = {}): Data => ({
  crisisId: 'russia-ukraine-2022',
  summary: 'US officials say Russia has massed up to 190,000 personnel in and near Ukraine.',
  occurred: { start: '2022-02-18', precision: 'day', timezone: 'Europe/Kyiv' },
  actors: [
    { actorId: 'united-states', role: 'claimant' },
    { actorId: 'russia', role: 'agent' },
  ],
  attribution: { sourceId: 'itv-news', url: 'https://www.itv.com/news' },
  ...extra,
});

/**
 * One valid `data` for every event type: what GET /v1/event-types shows beside each schema (a spec
 * checks each against its type's validation and its schema).
 */
export const EXAMPLES: Readonly<Record<KnownTypeName, Data>> = {
  TroopBuildupReported: report({
    quantities: [{ kind: 'troops', low: 169000, high: 190000, asReported: 'between 169,000 and 190,000' }],
    equipment: ['armoured vehicles'],
  }),
  TroopWithdrawalClaimed: report({ actors: [{ actorId: 'russia', role: 'claimant' }] }),
  DeploymentAnnounced: report({
    destination: 'Estonia',
    unit: 'Royal Welsh battlegroup',
    assets: ['infantry'],
  }),
  DiplomatExpelled: report({
    diplomat: { name: 'Bart Gorman', title: 'deputy chief of mission' },
    expellingActorId: 'russia',
    sendingActorId: 'united-states',
  }),
  ShellingAlleged: report({
    targets: ['kindergarten'],
    locations: [{ name: 'Stanytsia Luhanska', role: 'where', countryCode: 'UA', geoPrecision: 2 }],
  }),
  CeasefireViolationReported: report({
    agreement: 'Minsk',
    quantities: [{ kind: 'violations', low: 29, high: 29, asReported: '29 times' }],
  }),
  StatementMade: report({
    medium: 'press conference',
    quote: 'We are seeing little evidence of a pullback.',
  }),
  AccusationMade: report({ allegation: 'a false-flag operation to justify an invasion' }),
  DenialIssued: report({
    denies: 'any plan to invade Ukraine',
    actors: [{ actorId: 'russia', role: 'claimant' }],
    deniedEntryId: ENTRY,
  }),
  DiplomaticContactHeld: report({ mode: 'phone' }),
  SanctionsAnnounced: report({ status: 'threatened', measures: ['export controls'] }),
  RecognitionRequested: report({ territories: ['Donetsk', 'Luhansk'] }),
  RecognitionDeclared: report({ territories: ['Donetsk', 'Luhansk'] }),
  MarketMoveReported: report({ market: 'FTSE 100', changePercent: -0.9 }),
  IncidentReported: report({ plover: { type: 'COOPERATE', mode: 'military' }, cameo: '061' }),
  EntryCorroborated: { entryId: ENTRY, sourceId: 'reuters', note: 'Reuters carries the same figure.' },
  EntryDisputed: { entryId: ENTRY, byActorId: 'russia', reason: 'Moscow says the troops are on exercises.' },
  EntryCorrected: {
    entryId: ENTRY,
    changes: { summary: 'US officials say Russia has massed 169,000 to 190,000 personnel.' },
    reason: 'the figure given was a range',
  },
  EntryRetracted: { entryId: ENTRY, reason: 'the outlet withdrew the report' },
  CredibilityAssessed: { entryId: ENTRY, credibility: 2, rationale: 'two independent sources' },
  MeasureRegistered: {
    measureId: 'uk-sanctions-russian-banks-2022',
    crisisId: 'russia-ukraine-2022',
    kind: 'sanctions',
    name: 'UK sanctions on five Russian banks',
    byActorIds: ['united-kingdom'],
    targetActorIds: ['russia'],
  },
  MeasureStatusChanged: {
    measureId: 'uk-sanctions-russian-banks-2022',
    status: 'announced',
    effective: { start: '2022-02-22', timezone: 'Europe/London' },
    plannedFor: { start: '2022-02-22', timezone: 'Europe/London' },
    sourceId: 'itv-news',
    note: 'announced in the Commons',
  },
  EntryLinked: {
    fromEntryId: ENTRY,
    toEntryId: OTHER_ENTRY,
    relation: 'precedes',
    sourceId: 'itv-news',
    claimantActorId: 'united-states',
    note: 'the calls took place before the signing',
  },
  EntryUnlinked: {
    crisisId: 'russia-ukraine-2022',
    linkId: OTHER_ENTRY,
    reason: 'the order was misreported',
  },
  ActorRegistered: { actorId: 'russia', name: 'Russia', kind: 'state', countryCode: 'RU' },
  ActorAliasAdded: { actorId: 'russia', alias: 'Russian Federation' },
  ActorDetailsChanged: { actorId: 'maria-zakharova', parentId: 'russian-foreign-ministry' },
  ActorRelationStated: {
    actorId: 'russia',
    relation: 'recognises',
    toActorId: 'donetsk-peoples-republic',
    validFrom: '2022-02-21',
    sourceId: 'itv-news',
    note: 'recognised by decree on 21 February',
  },
  SourceRegistered: {
    sourceId: 'itv-news',
    name: 'ITV News',
    kind: 'outlet',
    url: 'https://www.itv.com/news',
    // Its own actor, created with it (id itv-news): the claimant of its reports that name none.
    ownActor: { kind: 'media', countryCode: 'GB' },
  },
  SourceGraded: { sourceId: 'itv-news', reliability: 'B', rationale: 'established broadcaster' },
  CrisisRegistered: {
    crisisId: 'russia-ukraine-2022',
    name: 'Russia-Ukraine crisis 2022',
    countries: ['UA', 'RU'],
  },
};
