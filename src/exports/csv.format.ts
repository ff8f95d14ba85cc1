import type { TimelineItem } from '../projections/timeline/timeline.presenter';
import { csvRow, joined, type Cell } from './csv';
import { actorsIn, claimantNames, gradeCode, mainLocation, type ExportFormat } from './export-format';

/**
 * The timeline's CSV: one row per entry, these columns in this order (docs/exports.md describes
 * each). Lists in a cell are separated by "; ".
 */
export const CSV_COLUMNS: ReadonlyArray<readonly [string, (item: TimelineItem) => Cell]> = [
  ['entry_id', (i) => i.entryId],
  ['type', (i) => i.type],
  ['crisis_id', (i) => i.crisisId],
  ['status', (i) => i.status],
  ['occurred_start', (i) => i.occurred.start],
  ['occurred_end', (i) => i.occurred.end],
  ['occurred_precision', (i) => i.occurred.precision],
  ['occurred_approximate', (i) => i.occurred.approximate],
  ['occurred_timezone', (i) => i.occurred.timezone],
  ['occurred_local', (i) => i.occurred.startLocal],
  ['summary', (i) => i.summary],
  ['quote', (i) => i.quote],
  ['claimants', (i) => joined(claimantNames(i))],
  ['agents', (i) => joined(actorsIn(i, 'agent'))],
  ['targets', (i) => joined(actorsIn(i, 'target'))],
  ['actor_ids', (i) => joined(i.actors.map((a) => `${a.actorId}:${a.role}`))],
  ['source_id', (i) => i.source.sourceId],
  ['source_name', (i) => i.source.name],
  ['source_url', (i) => i.attribution.url],
  ['reliability', (i) => i.grade.reliability],
  ['credibility', (i) => i.grade.credibility],
  ['grade', (i) => gradeCode(i)],
  ['location', (i) => mainLocation(i)?.name],
  ['country_code', (i) => mainLocation(i)?.countryCode ?? joined([...(mainLocation(i)?.claimedBy ?? [])])],
  ['admin1', (i) => mainLocation(i)?.admin1],
  ['latitude', (i) => mainLocation(i)?.lat],
  ['longitude', (i) => mainLocation(i)?.lon],
  ['geo_precision', (i) => mainLocation(i)?.geoPrecision],
  ['places', (i) => joined((i.locations ?? []).map((l) => `${l.name} (${l.role})`))],
  ['quantities', (i) => joined((i.quantities ?? []).map((q) => `${q.kind}: ${q.asReported}`))],
  ['cameo', (i) => joined(i.codes.cameo)],
  ['plover', (i) => i.codes.plover?.type],
  ['acled_event_type', (i) => i.codes.acled?.eventType],
  ['acled_sub_event_type', (i) => i.codes.acled?.subEventType],
  ['corroborations', (i) => i.corroborations],
  ['disputes', (i) => i.disputes],
  ['disputed_fields', (i) => joined([...(i.disputed.wholeEntry ? ['*'] : []), ...i.disputed.fields])],
  ['retracted', (i) => i.retracted],
  ['recorded_at', (i) => i.recordedAt],
  ['updated_at', (i) => i.updatedAt],
  ['revision', (i) => i.revision],
  ['position', (i) => i.position],
];

/** The CSV content type: UTF-8, with a header row (RFC 4180's `header` parameter). */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

export const CSV: ExportFormat = {
  name: 'csv',
  contentType: CSV_CONTENT_TYPE,
  extension: 'csv',
  description:
    'Timeline entries, one row each, with a header row (RFC 4180, CRLF; formula-like cells prefixed with a quote).',
  writer: () => ({
    head: () => csvRow(CSV_COLUMNS.map(([name]) => name)),
    page: (items) => items.map((item) => csvRow(CSV_COLUMNS.map(([, cell]) => cell(item)))).join(''),
    tail: () => '',
  }),
};
