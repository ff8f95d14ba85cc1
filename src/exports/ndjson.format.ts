import type { ExportFormat } from './export-format';

/** One timeline entry per line, each exactly as GET /v1/timeline presents it. */
export const NDJSON: ExportFormat = {
  name: 'ndjson',
  contentType: 'application/x-ndjson',
  extension: 'ndjson',
  description: 'One timeline entry per line, as GET /v1/timeline presents it (application/x-ndjson).',
  writer: () => ({
    head: () => '',
    page: (items) => {
      let out = '';
      for (const item of items) out += `${JSON.stringify(item)}\n`;
      return out;
    },
    tail: () => '',
  }),
};
