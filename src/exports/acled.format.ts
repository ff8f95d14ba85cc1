import type { Precision } from '../shared/time';
import type { TimelineItem } from '../projections/timeline/timeline.presenter';
import { csvRow, joined, type Cell } from './csv';
import { CSV_CONTENT_TYPE } from './csv.format';
import { actorsIn, claimantNames, gradeCode, mainLocation, type ExportFormat } from './export-format';

/**
 * ACLED's columns, in the order of ACLED's data export as its Codebook (2023 edition) describes it,
 * each filled where this service holds the same fact and left empty where it does not
 * (docs/exports.md says which and why). Then this service's own columns.
 */
export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
] as const;

/** This service's columns after ACLED's. */
export const OWN_COLUMNS = ['claimant', 'grade', 'status', 'entry_id', 'position'] as const;

type AcledColumn = (typeof ACLED_COLUMNS)[number];

/** ACLED's time_precision: 1 the day is known, 2 within a week, 3 within a month (or coarser). */
export function acledTimePrecision(precision: Precision): 1 | 2 | 3 {
  if (precision === 'week') return 2;
  if (precision === 'month' || precision === 'year') return 3;
  return 1;
}

/** ACLED's disorder type of each of its event types. */
const DISORDER: Record<string, string> = {
  Battles: 'Political violence',
  'Explosions/Remote violence': 'Political violence',
  'Violence against civilians': 'Political violence',
  Protests: 'Demonstrations',
  Riots: 'Political violence; Demonstrations',
  'Strategic developments': 'Strategic developments',
};

let regionNames: Intl.DisplayNames | null = null;
const countryNames = new Map<string, string>();
/** A country's English name, as ACLED writes the country (from the ISO 3166-1 alpha-2 code). */
function countryName(code: string | undefined): string | undefined {
  if (!code) return undefined;
  let name = countryNames.get(code);
  if (name === undefined) {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    try {
      name = regionNames.of(code.toUpperCase()) ?? code;
    } catch {
      name = code;
    }
    if (countryNames.size < 1000) countryNames.set(code, name);
  }
  return name;
}

/** ACLED counts the lowest reported figure of deaths; 0 when the report gives none. */
const fatalities = (item: TimelineItem): number =>
  (item.quantities ?? []).filter((q) => q.kind === 'killed').reduce((sum, q) => sum + q.low, 0);

/** One ACLED row of an entry. */
export function acledRow(item: TimelineItem): Record<AcledColumn, Cell> {
  const place = mainLocation(item);
  const agents = actorsIn(item, 'agent');
  const targets = actorsIn(item, 'target');
  const acled = item.codes.acled;
  return {
    event_id_cnty: item.entryId,
    event_date: item.occurred.startLocal.slice(0, 10),
    year: Number(item.occurred.startLocal.slice(0, 4)),
    time_precision: acledTimePrecision(item.occurred.precision),
    disorder_type: acled ? DISORDER[acled.eventType] : undefined,
    event_type: acled?.eventType,
    sub_event_type: acled?.subEventType,
    actor1: agents[0],
    assoc_actor_1: joined(agents.slice(1)),
    inter1: undefined,
    actor2: targets[0],
    assoc_actor_2: joined(targets.slice(1)),
    inter2: undefined,
    interaction: undefined,
    civilian_targeting: undefined,
    iso: undefined,
    region: undefined,
    country: countryName(place?.countryCode),
    admin1: place?.admin1,
    admin2: undefined,
    admin3: undefined,
    location: place?.name,
    latitude: place?.lat,
    longitude: place?.lon,
    geo_precision: place?.geoPrecision,
    source: joined([item.source.name ?? item.source.sourceId, ...item.corroboratedBy.map((c) => c.name)]),
    source_scale: undefined,
    notes: item.summary,
    fatalities: fatalities(item),
    tags: undefined,
    timestamp: Math.floor(Date.parse(item.updatedAt) / 1000),
  };
}

export const ACLED: ExportFormat = {
  name: 'acled',
  contentType: CSV_CONTENT_TYPE,
  extension: 'acled.csv',
  description:
    "ACLED's columns in ACLED's order (Codebook 2023), then claimant, grade, status, entry_id, position; spreadsheet-safe CSV.",
  writer: () => ({
    head: () => csvRow([...ACLED_COLUMNS, ...OWN_COLUMNS]),
    page: (items) =>
      items
        .map((item) => {
          const row = acledRow(item);
          return csvRow([
            ...ACLED_COLUMNS.map((c) => row[c]),
            joined(claimantNames(item)),
            gradeCode(item),
            item.status,
            item.entryId,
            item.position,
          ]);
        })
        .join(''),
    tail: () => '',
  }),
};
