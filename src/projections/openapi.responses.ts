import {
  arr,
  bool,
  instant,
  int,
  map,
  nullable,
  obj,
  page,
  position,
  ref,
  str,
  type JsonSchema,
} from '../http/openapi-schema';

/** Response bodies of the read routes (OpenAPI), checked against real answers in the e2e specs. */

const named = (id: string): JsonSchema => obj({ [id]: str(), name: nullable(str()) });

/** What an as-of read answers for: the last event it includes. */
const AS_OF = obj(
  { seq: int(), position: nullable(position()), recordedAt: nullable(instant()) },
  {},
  { description: 'Present on as-of reads (asOf or atPosition): the last event the answer includes.' },
);

const OCCURRED = obj({
  start: instant('Earliest instant (UTC).'),
  end: instant('Exclusive end (UTC).'),
  precision: str(),
  approximate: bool(),
  timezone: str(),
  startLocal: str({ description: 'The start in the event’s zone.' }),
});

const TIMELINE_ITEM = obj(
  {
    entryId: str({ format: 'uuid' }),
    type: str(),
    crisisId: str(),
    status: str({ enum: ['reported', 'corroborated', 'disputed', 'confirmed', 'refuted', 'retracted'] }),
    summary: str(),
    occurred: OCCURRED,
    claimants: arr(named('actorId')),
    actors: arr(obj({ actorId: str(), name: nullable(str()), role: str() })),
    source: obj({ sourceId: str(), name: nullable(str()), reliability: nullable(str()) }),
    attribution: obj(
      { sourceId: str() },
      {
        url: str(),
        publishedAt: instant(),
        via: arr(str()),
        chain: arr(
          obj(
            {},
            {
              sourceId: str(),
              actorId: str(),
              name: nullable(str()),
              description: str(),
              anonymous: bool(),
              hedge: str(),
            },
          ),
          { description: 'The hops before the source, the origin first.' },
        ),
      },
    ),
    grade: obj(
      { reliability: nullable(str()), credibility: nullable(int()), code: str({ example: 'B2' }) },
      {
        rationale: str(),
        chain: obj(
          { reliability: str(), code: str() },
          {},
          { description: 'The weakest link of the attribution chain (docs/design-decisions.md).' },
        ),
      },
    ),
    details: obj({}, {}, { description: 'The fields of the entry’s own type (see /v1/event-types).' }),
    codes: obj({}, {}, { description: 'CAMEO, PLOVER and ACLED codes.' }),
    corroborations: int(),
    disputes: int(),
    corroboratedBy: arr(obj({ sourceId: str(), recordedAt: instant(), name: nullable(str()) })),
    disputedBy: arr(
      obj(
        { reason: str(), recordedAt: instant(), name: nullable(str()) },
        { byActorId: str(), bySourceId: str(), field: str(), alternative: str(), counterEntryId: str() },
      ),
    ),
    disputed: obj(
      { wholeEntry: bool(), fields: arr(str()) },
      {},
      { description: 'What the disputes contest: the whole entry, and the report fields named.' },
    ),
    counters: arr(obj({ entryId: str(), how: str({ enum: ['dispute', 'denial'] }) })),
    counteredBy: arr(obj({ entryId: str(), how: str({ enum: ['dispute', 'denial'] }) })),
    links: arr(
      obj({
        linkId: str(),
        relation: str(),
        direction: str({ enum: ['out', 'in'] }),
        entryId: str(),
        sourceId: str(),
        recordedAt: instant(),
      }),
    ),
    corrections: int(),
    retracted: bool(),
    recordedAt: instant(),
    updatedAt: instant(),
    revision: int(),
    position: position('The position of the entry’s last change.'),
  },
  {
    quote: str(),
    actingChain: arr(obj({ actorId: str(), name: nullable(str()) }, { as: str() }), {
      description: 'Who acted through whom, the principal first.',
    }),
    reportedAt: instant(),
    locations: arr(
      obj(
        {
          name: str(),
          role: str({ enum: ['where', 'target', 'origin', 'destination'] }),
          geoPrecision: int(),
        },
        {
          countryCode: str(),
          disputed: bool(),
          claimedBy: arr(str()),
          admin1: str(),
          lat: { type: 'number' },
          lon: { type: 'number' },
        },
      ),
    ),
    location: obj({ name: str() }, {}, { description: 'Deprecated: the first of `locations`.' }),
    quantities: arr(obj({})),
    retraction: obj({ reason: str(), recordedAt: instant() }),
  },
);

const HISTORY_ITEM = obj({
  revision: int(),
  eventId: str(),
  type: str(),
  position: position(),
  recordedAt: instant(),
  principal: str(),
  data: obj({}),
});

const INVOLVED = obj({
  entryId: str(),
  actorId: str(),
  role: str(),
  type: str(),
  crisisId: str(),
  occurredStart: nullable(instant()),
  summary: str(),
  status: str(),
});

const ACTOR = obj({
  actorId: str(),
  name: str(),
  kind: str(),
  countryCode: nullable(str()),
  parentId: nullable(str()),
  memberOf: arr(str()),
  aliases: arr(str()),
  registeredAt: instant(),
});

const SOURCE = obj({
  sourceId: str(),
  name: str(),
  kind: str(),
  url: nullable(str()),
  affiliatedActorId: nullable(str()),
  ownActorId: nullable(
    str({
      description:
        'The actor created with the source (its id is the source id); null with affiliatedActorId.',
    }),
  ),
  reliability: nullable(str({ enum: ['A', 'B', 'C', 'D', 'E', 'F'] })),
  registeredAt: instant(),
  counts: obj({ entriesCited: int(), corroborationsGiven: int() }),
});

const RELATION = obj(
  {
    actorId: str(),
    relation: str({ enum: ['member-of', 'commands', 'recognises', 'does-not-recognise'] }),
    toActorId: str(),
    name: nullable(str({ description: 'The other actor’s name.' })),
    validFrom: nullable(instant()),
    validTo: nullable(instant()),
    sourceId: nullable(str()),
    note: nullable(str()),
  },
  {},
  { description: 'A relation over a period (open ends: null).' },
);

const CITATION = obj({ entryId: str(), type: str(), occurredStart: instant(), summary: str() });

const withAll = (a: JsonSchema, b: JsonSchema): JsonSchema => ({ allOf: [a, b] });

const RECORDED = { recordedAt: instant(), position: position('Where it was recorded.'), principal: str() };
const MEASURE_CHANGE = obj(
  {
    measureId: str(),
    status: str(),
    effective: OCCURRED,
    sourceId: str(),
    codes: obj({ cameo: arr(str()) }, { plover: obj({ type: str() }) }),
    ...RECORDED,
  },
  { plannedFor: OCCURRED, until: OCCURRED, entryId: str(), note: str() },
);
const MEASURE = obj(
  {
    measureId: str(),
    crisisId: str(),
    kind: str(),
    name: str(),
    byActorIds: arr(str()),
    targetActorIds: arr(str()),
    ...RECORDED,
    state: nullable({ ...MEASURE_CHANGE, description: 'The change in effect at `at`; null: none yet.' }),
    lapsed: bool({
      description:
        'The state’s `until` has passed by `at`: in force no longer; what holds after it is for a later change to say.',
    }),
    at: instant('The valid time the state is given at.'),
  },
  { description: str() },
);

/** Components the read routes refer to. */
export const READ_COMPONENTS: Record<string, JsonSchema> = { TimelineItem: TIMELINE_ITEM, AsOf: AS_OF };

export const READ_RESPONSES = {
  timeline: withAll(page(ref('TimelineItem')), obj({}, { asOf: ref('AsOf') })),
  entry: withAll(ref('TimelineItem'), obj({ history: arr(HISTORY_ITEM) }, { asOf: ref('AsOf') })),
  crises: obj(
    {
      items: arr(
        obj({
          crisisId: str(),
          name: str(),
          description: nullable(str()),
          countries: arr(str()),
          entries: int(),
        }),
      ),
      position: position(),
    },
    { asOf: ref('AsOf') },
  ),
  actors: withAll(
    page(withAll(ACTOR, obj({ counts: obj({ entries: int(), claims: int(), disputedClaims: int() }) }))),
    obj({}, { asOf: ref('AsOf') }),
  ),
  actor: withAll(
    ACTOR,
    obj(
      {
        position: position(),
        members: arr(
          obj(
            { actorId: str(), name: str(), via: str({ enum: ['parent', 'memberOf', 'relation'] }) },
            { validFrom: nullable(instant()), validTo: nullable(instant()) },
          ),
        ),
        relations: arr(RELATION),
        relatedBy: arr(RELATION),
        includesMembers: bool(),
        firstSeen: nullable(instant()),
        lastSeen: nullable(instant()),
        involvement: obj({ entries: int(), byRole: map(int()), byType: map(int()) }),
        claims: arr(INVOLVED),
        involvedIn: arr(INVOLVED),
        disputedClaims: arr(
          obj({
            entryId: str(),
            claimantId: str(),
            summary: str(),
            disputedBy: obj({ actorId: nullable(str()), sourceId: nullable(str()), name: nullable(str()) }),
            field: nullable(str({ description: 'The field disputed; null: the whole entry.' })),
            counterEntryId: nullable(str()),
            reason: str(),
            recordedAt: instant(),
          }),
        ),
      },
      { asOf: ref('AsOf') },
    ),
  ),
  sources: obj({ items: arr(SOURCE), position: position() }),
  source: withAll(
    SOURCE,
    obj({
      position: position(),
      grades: arr(obj({ reliability: str(), rationale: str(), recordedAt: instant(), principal: str() })),
      entriesCited: arr(CITATION),
      corroborationsGiven: arr(CITATION),
    }),
  ),
  projections: obj({
    state: str({ enum: ['starting', 'catching-up', 'live', 'retrying', 'failed', 'stopped'] }),
    position: nullable(position()),
    events: int(),
    error: nullable(str()),
    items: arr(obj({ name: str(), digest: str() })),
  }),
  measures: obj({ items: arr(MEASURE), position: position() }, { asOf: ref('AsOf') }),
  measure: withAll(
    MEASURE,
    obj({ history: arr(MEASURE_CHANGE), position: position() }, { asOf: ref('AsOf') }),
  ),
  rebuilt: obj({
    name: str(),
    before: str({ description: 'Digest before the rebuild.' }),
    after: str({ description: 'Digest after it.' }),
    events: int(),
    identical: bool(),
    tookMs: int(),
  }),
} satisfies Record<string, JsonSchema>;
