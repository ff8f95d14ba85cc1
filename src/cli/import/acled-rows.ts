import { createHash } from 'node:crypto';
import type { AcledMapping } from './acled-mapping';
import type { EventBody, Rejection } from './import-batches';
import { importId, type Registry } from './registry';

/** ACLED's columns this import reads (the export's names; others are ignored). */
export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'actor2',
  'assoc_actor_2',
  'country',
  'iso',
  'admin1',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'notes',
  'fatalities',
] as const;
type Column = (typeof ACLED_COLUMNS)[number];
export type AcledRow = Partial<Record<Column, string>>;

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** ACLED's dates: "2022-02-17" (API, CSV export) or "17 February 2022" (older spreadsheets). */
export function acledDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const long = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (long && MONTHS.includes(long[2]!.toLowerCase())) {
    [y, m, d] = [Number(long[3]), MONTHS.indexOf(long[2]!.toLowerCase()) + 1, Number(long[1])];
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

let countryCodes: Map<string, string> | undefined;
/** ISO 3166-1 alpha-2 code of a country's English name (ICU's names), or of a code given as letters. */
export function countryCode(name: string, extra: Readonly<Record<string, string>>): string | undefined {
  if (extra[name]) return extra[name];
  if (/^[A-Za-z]{2}$/.test(name)) return name.toUpperCase();
  if (!countryCodes) {
    countryCodes = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (let a = 65; a <= 90; a++)
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const n = names.of(code);
        if (n) countryCodes.set(n.toLowerCase(), code);
      }
  }
  return countryCodes.get(name.trim().toLowerCase());
}

const number = (text: string | undefined): number | null | undefined => {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
};

/**
 * One ACLED row as events: the report (its id from event_id_cnty, else from the row's content), after
 * any registration of its crisis, actors and sources that the registry does not know yet; or the
 * row's problems, each naming its column.
 */
export function acledEvents(
  row: AcledRow,
  line: number,
  at: { crisisId: string; timezone: string },
  mapping: AcledMapping,
  registry: Registry,
): { events: EventBody[]; rejected: Rejection[] } {
  const { crisisId, timezone } = at;
  const problems: Rejection[] = [];
  const reject = (field: string, reason: string): void => void problems.push({ line, field, reason });
  const v = (c: Column): string => (row[c] ?? '').trim();

  const date = acledDate(v('event_date'));
  if (!date) reject('event_date', `"${v('event_date')}" is not a date (YYYY-MM-DD or "17 February 2022")`);
  const typeKey = `${v('event_type')}|${v('sub_event_type')}`;
  const target = mapping.eventTypes[typeKey] ?? mapping.eventTypes[v('event_type')];
  if (!v('event_type')) reject('event_type', 'missing');
  else if (!target)
    reject('event_type', `no mapping for "${v('event_type')}" / "${v('sub_event_type')}" (see --mapping)`);
  if (!v('actor1')) reject('actor1', 'missing: every row names its first actor');
  const sources = v('source')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  if (sources.length === 0) reject('source', 'missing: every report names its source');
  const lat = number(row.latitude);
  const lon = number(row.longitude);
  if (lat === null) reject('latitude', `"${v('latitude')}" is not a number`);
  if (lon === null) reject('longitude', `"${v('longitude')}" is not a number`);
  const fatalities = number(row.fatalities);
  if (
    fatalities === null ||
    (fatalities !== undefined && (!Number.isInteger(fatalities) || fatalities < 0))
  ) {
    reject('fatalities', `"${v('fatalities')}" is not a count`);
  }
  const precision = number(row.time_precision) ?? 1;
  const geo = number(row.geo_precision) ?? 2;
  if (problems.length > 0 || !date || !target) return { events: [], rejected: problems };

  const events: EventBody[] = [];
  registry.crisis(crisisId, undefined, events);
  const actors = [{ actorId: registry.actor(v('actor1'), mapping.actorKind, events), role: 'agent' }];
  for (const name of v('assoc_actor_1')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    actors.push({ actorId: registry.actor(name, mapping.actorKind, events), role: 'agent' });
  }
  for (const c of ['actor2', 'assoc_actor_2'] as const) {
    for (const name of v(c)
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)) {
      actors.push({ actorId: registry.actor(name, mapping.actorKind, events), role: 'target' });
    }
  }
  const sourceIds = sources.map((s) => registry.source(s, mapping.sourceKind, events));
  const place = v('location') || v('admin1') || v('country');
  const code =
    v('iso') && /^[A-Za-z]{2}$/.test(v('iso'))
      ? v('iso').toUpperCase()
      : countryCode(v('country'), mapping.countries);
  const summary = (
    v('notes') || `${v('event_type')}: ${v('sub_event_type') || 'unspecified'}${place ? ` in ${place}` : ''}`
  ).slice(0, 1000);
  const data: Record<string, unknown> = {
    ...(target.data ?? {}),
    crisisId,
    summary,
    // ACLED's time_precision: 1 the day, 2 within a week of it, 3 within its month.
    occurred:
      precision >= 3
        ? { start: date.slice(0, 7), precision: 'month', approximate: true, timezone }
        : { start: date, precision: 'day', timezone, ...(precision === 2 ? { approximate: true } : {}) },
    actors: dedupe(actors),
    attribution: { sourceId: sourceIds[0] },
    ...(place
      ? {
          location: {
            name: place.slice(0, 200),
            ...(code ? { countryCode: code } : {}),
            ...(v('admin1') ? { admin1: v('admin1').slice(0, 200) } : {}),
            ...(lat !== undefined && lon !== undefined ? { lat, lon } : {}),
            geoPrecision: geo === 1 || geo === 3 ? geo : 2,
          },
        }
      : {}),
    ...(fatalities
      ? {
          quantities: [
            {
              kind: 'killed',
              low: fatalities,
              high: fatalities,
              asReported: `${fatalities} fatalities (ACLED)`,
            },
          ],
        }
      : {}),
  };
  const key = v('event_id_cnty') || createHash('sha256').update(JSON.stringify(row)).digest('hex');
  const ref = `row-${line}`;
  events.push({ id: importId(`acled:${key}`), type: target.type, data, ref });
  // The row's other sources carried the same report: each corroborates it.
  for (const sourceId of [...new Set(sourceIds.slice(1))]) {
    if (sourceId === sourceIds[0]) continue;
    events.push({
      id: importId(`acled:${key}:corroborated-by:${sourceId}`),
      type: 'EntryCorroborated',
      data: { entryId: `@${ref}`, sourceId },
    });
  }
  return { events, rejected: [] };
}

function dedupe(actors: Array<{ actorId: string; role: string }>): Array<{ actorId: string; role: string }> {
  const seen = new Set<string>();
  return actors.filter((a) => !seen.has(`${a.actorId}:${a.role}`) && seen.add(`${a.actorId}:${a.role}`));
}
