import { ACLED } from './acled.format';
import { CSV } from './csv.format';
import type { ExportFormat } from './export-format';
import { GEOJSON } from './geojson.format';
import { NDJSON } from './ndjson.format';
import { TIMELINEJS } from './timelinejs.format';

/** Every export format, by the name GET /v1/exports/{format} takes. */
export const EXPORT_FORMATS: ReadonlyMap<string, ExportFormat> = new Map(
  [NDJSON, CSV, ACLED, GEOJSON, TIMELINEJS].map((f) => [f.name, f]),
);

export const FORMAT_NAMES: readonly string[] = [...EXPORT_FORMATS.keys()];
