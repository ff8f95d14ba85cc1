import { readFileSync } from 'node:fs';
import { usageError } from '../exit-codes';

/** What an ACLED event type (and sub-event type) becomes here: a report type and its own fields. */
export interface TypeMapping {
  readonly type: string;
  /** Fields of the report type's data that the row does not give (IncidentReported's plover, etc.). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * How ACLED rows map onto this catalogue. `eventTypes` is looked up by "event_type|sub_event_type"
 * first, then by "event_type"; a row whose type is in neither is rejected (field event_type).
 * `actors` and `sources` map names as written in the file to registered ids, when the names differ
 * from the registry's; `countries` maps a country name to its ISO 3166-1 alpha-2 code where the
 * built-in names (English, from ICU) do not know it. Codebook: ACLED Codebook 2023 (event types
 * and sub-event types as listed there).
 */
export interface AcledMapping {
  readonly eventTypes: Readonly<Record<string, TypeMapping>>;
  readonly actors: Readonly<Record<string, string>>;
  readonly sources: Readonly<Record<string, string>>;
  readonly countries: Readonly<Record<string, string>>;
  /** Kind of the actors the import registers (default "other"; ActorRegistered's kind). */
  readonly actorKind: string;
  /** Kind of the sources the import registers (default "outlet"; SourceRegistered's kind). */
  readonly sourceKind: string;
}

const incident = (plover: string, mode?: string): TypeMapping => ({
  type: 'IncidentReported',
  data: { plover: mode ? { type: plover, mode } : { type: plover } },
});

/** The default table: ACLED's 6 event types and 25 sub-event types (codebook 2023). */
export const DEFAULT_ACLED_MAPPING: AcledMapping = {
  eventTypes: {
    'Battles|Armed clash': incident('ASSAULT', 'armed-clash'),
    'Battles|Government regains territory': incident('ASSAULT', 'regain-territory'),
    'Battles|Non-state actor overtakes territory': incident('ASSAULT', 'overtake-territory'),
    'Explosions/Remote violence|Shelling/artillery/missile attack': { type: 'ShellingAlleged' },
    'Explosions/Remote violence|Air/drone strike': incident('ASSAULT', 'air-drone-strike'),
    'Explosions/Remote violence|Suicide bomb': incident('ASSAULT', 'suicide-bomb'),
    'Explosions/Remote violence|Remote explosive/landmine/IED': incident('ASSAULT', 'remote-explosive'),
    'Explosions/Remote violence|Grenade': incident('ASSAULT', 'grenade'),
    'Explosions/Remote violence|Chemical weapon': incident('ASSAULT', 'chemical-weapon'),
    'Violence against civilians|Attack': incident('ASSAULT', 'attack-civilians'),
    'Violence against civilians|Abduction/forced disappearance': incident('COERCE', 'abduction'),
    'Violence against civilians|Sexual violence': incident('ASSAULT', 'sexual-violence'),
    'Protests|Peaceful protest': incident('PROTEST', 'demonstrate'),
    'Protests|Protest with intervention': incident('PROTEST', 'demonstrate-intervention'),
    'Protests|Excessive force against protesters': incident('COERCE', 'force-against-protesters'),
    'Riots|Violent demonstration': incident('PROTEST', 'riot'),
    'Riots|Mob violence': incident('ASSAULT', 'mob-violence'),
    'Strategic developments|Agreement': incident('AGREE'),
    'Strategic developments|Arrests': incident('COERCE', 'arrest'),
    'Strategic developments|Change to group/activity': { type: 'TroopBuildupReported' },
    'Strategic developments|Disrupted weapons use': incident('COERCE', 'disrupt-weapons'),
    'Strategic developments|Headquarters or base established': incident('MOBILIZE', 'base-established'),
    'Strategic developments|Looting/property destruction': incident('COERCE', 'seize-destroy'),
    'Strategic developments|Non-violent transfer of territory': incident('CONCEDE', 'territory'),
    'Strategic developments|Other': incident('MOBILIZE', 'other'),
  },
  actors: {},
  sources: {},
  countries: {},
  actorKind: 'other',
  sourceKind: 'outlet',
};

const isStringMap = (v: unknown): v is Record<string, string> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** The default table with a mapping file's entries over it (each section merged, the file winning). */
export function loadMapping(file: string | undefined): AcledMapping {
  if (!file) return DEFAULT_ACLED_MAPPING;
  let given: Partial<Record<keyof AcledMapping, unknown>>;
  try {
    given = JSON.parse(readFileSync(file, 'utf8')) as typeof given;
  } catch (e) {
    throw usageError(`--mapping ${file}: ${(e as Error).message}`);
  }
  const bad = (what: string): never => {
    throw usageError(`--mapping ${file}: ${what}`);
  };
  if (!given || typeof given !== 'object' || Array.isArray(given)) bad('must be a JSON object');
  for (const key of Object.keys(given)) {
    if (!(key in DEFAULT_ACLED_MAPPING))
      bad(`unknown section "${key}" (known: ${Object.keys(DEFAULT_ACLED_MAPPING).join(', ')})`);
  }
  const types = (given.eventTypes ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(types)) {
    if (!v || typeof v !== 'object' || typeof (v as TypeMapping).type !== 'string') {
      bad(`eventTypes["${k}"] must be {"type": "<event type>", "data": {...}}`);
    }
  }
  for (const section of ['actors', 'sources', 'countries'] as const) {
    if (given[section] !== undefined && !isStringMap(given[section])) bad(`${section} must map names to ids`);
  }
  const m = DEFAULT_ACLED_MAPPING;
  return {
    eventTypes: { ...m.eventTypes, ...(types as Record<string, TypeMapping>) },
    actors: { ...m.actors, ...((given.actors as Record<string, string>) ?? {}) },
    sources: { ...m.sources, ...((given.sources as Record<string, string>) ?? {}) },
    countries: { ...m.countries, ...((given.countries as Record<string, string>) ?? {}) },
    actorKind: typeof given.actorKind === 'string' ? given.actorKind : m.actorKind,
    sourceKind: typeof given.sourceKind === 'string' ? given.sourceKind : m.sourceKind,
  };
}
