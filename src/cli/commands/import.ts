import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { printJson, progress, type Io } from '../cli-io';
import { CliError, EXIT, usageError } from '../exit-codes';
import { Http } from '../http-client';
import { DEFAULT_ACLED_MAPPING, loadMapping } from '../import/acled-mapping';
import { ACLED_COLUMNS, acledEvents, type AcledRow } from '../import/acled-rows';
import { BatchSender, MAX_ITEMS, type RowEvents, type Rejection } from '../import/import-batches';
import { ndjsonEvent } from '../import/ndjson-rows';
import { csvRecords, jsonLines } from '../import/readers';
import { Registry } from '../import/registry';
import { connectionOptions, positiveInt, type Connection } from './options';

interface ImportOptions extends Connection {
  format?: 'ndjson' | 'acled';
  crisis?: string;
  timezone: string;
  mapping?: string;
  dryRun?: boolean;
  batchSize: number;
  batchBytes: number;
  printMapping?: boolean;
}

/** Where in an ACLED row a problem of the report's body lies: the column that fed the field. */
const ACLED_FIELDS: Array<[RegExp, string]> = [
  [/^data\.occurred/, 'event_date'],
  [/^data\.actors/, 'actor1'],
  [/^data\.(attribution|entryId|sourceId)/, 'source'],
  [/^data\.location\.(lat)\b/, 'latitude'],
  [/^data\.location\.(lon)\b/, 'longitude'],
  [/^data\.location\.countryCode/, 'country'],
  [/^data\.location/, 'location'],
  [/^data\.summary/, 'notes'],
  [/^data\.quantities/, 'fatalities'],
  [/^data\.crisisId/, 'crisis'],
  [/^(type|data\.plover)/, 'event_type'],
];
const acledField = (path: string): string =>
  ACLED_FIELDS.find(([re]) => re.test(path))?.[1] ?? (path || '(row)');

export function registerImport(
  program: Command,
  io: Io,
  env: NodeJS.ProcessEnv,
  exit: (code: number) => void,
): void {
  connectionOptions(
    program
      .command('import')
      .description(
        'Import events from NDJSON (POST /v1/events bodies, or the audit export) or an ACLED-layout CSV, through POST /v1/events/batch; idempotent: a second run stores nothing new',
      )
      .argument('[file]', 'the file to import (.csv: ACLED layout; otherwise NDJSON)')
      .option('--format <format>', 'ndjson or acled (default: acled for .csv files, else ndjson)')
      .option('--crisis <id>', 'acled: the crisis the rows belong to (registered if absent)')
      .option(
        '--timezone <zone>',
        "acled: the IANA zone of the rows' dates (ACLED dates are local days)",
        'UTC',
      )
      .option('--mapping <file>', 'acled: a JSON mapping over the default table (see --print-mapping)')
      .option('--print-mapping', 'print the default ACLED mapping table (JSON) and exit')
      .option('--dry-run', 'validate and map every row, send nothing')
      .option('--batch-size <n>', `items per batch (at most ${MAX_ITEMS})`, positiveInt, MAX_ITEMS)
      .option(
        '--batch-bytes <n>',
        'bytes per batch body at most (below the server BODY_LIMIT_BYTES)',
        positiveInt,
        900_000,
      ),
    env,
  ).action(async (file: string | undefined, o: ImportOptions) => {
    if (o.printMapping) return printJson(io, DEFAULT_ACLED_MAPPING);
    if (!file) throw usageError('import needs a file');
    if (!existsSync(file) || !statSync(file).isFile()) throw usageError(`no such file: ${file}`);
    const format = o.format ?? (extname(file).toLowerCase() === '.csv' ? 'acled' : 'ndjson');
    if (format !== 'ndjson' && format !== 'acled')
      throw usageError(`--format must be ndjson or acled (got "${String(format)}")`);
    if (format === 'acled' && !o.crisis) throw usageError('import of ACLED rows needs --crisis <id>');
    if (o.batchSize > MAX_ITEMS) throw usageError(`--batch-size is at most ${MAX_ITEMS}`);
    const result = await runImport(file, format, o, io);
    if (o.json) printJson(io, result);
    else io.out(describe(result));
    exit(result.rejected.length > 0 ? EXIT.rejectedRows : EXIT.ok);
  });
}

interface ImportResult {
  ok: boolean;
  file: string;
  format: string;
  dryRun: boolean;
  rows: number;
  events: number;
  skipped: number;
  stored: number;
  alreadyStored: number;
  failed: number;
  batches: number;
  position: string | null;
  registered: { actors: string[]; sources: string[]; crises: string[] };
  rejected: Rejection[];
  notes: string[];
}

async function runImport(
  file: string,
  format: 'ndjson' | 'acled',
  o: ImportOptions,
  io: Io,
): Promise<ImportResult> {
  const http = new Http(o.url, o.apiKey);
  const mapping = loadMapping(o.mapping);
  const registry = new Registry(mapping.actors, mapping.sources);
  const notes: string[] = [];
  if (format === 'acled') {
    try {
      await registry.load(http);
    } catch (e) {
      if (!(o.dryRun && e instanceof CliError && e.kind === 'network')) throw e;
      notes.push(`server not reached (${e.message}): every actor and source name counts as new`);
    }
  }
  const rejected: Rejection[] = [];
  const reject = (r: Rejection): void => void rejected.push(r);
  const fieldOf = format === 'acled' ? acledField : (path: string) => path || '(line)';
  const sender = new BatchSender(http, reject, fieldOf, o.batchSize, o.batchBytes);
  const size = statSync(file).size;
  const bar = progress(io, o.dryRun ? 'check' : 'import', size, 'MB');
  const counts = { rows: 0, events: 0, skipped: 0 };
  // The catalogue's validators (class-validator) load only for a dry run: other runs start faster.
  const check = o.dryRun ? (await import('../import/local-check')).localProblems : null;
  const take = async (row: RowEvents): Promise<void> => {
    counts.events += row.events.length;
    if (!check) return sender.add(row);
    for (const e of row.events) {
      for (const p of check(e)) reject({ line: row.line, field: fieldOf(p.path), reason: p.message });
    }
  };
  try {
    if (format === 'acled') {
      let header: string[] | null = null;
      for await (const { line, value } of csvRecords(file, (b) => bar.update(b))) {
        if (!header) {
          header = value.map((h) => h.trim().toLowerCase());
          const missing = ['event_date', 'event_type', 'actor1', 'source'].filter(
            (c) => !header!.includes(c),
          );
          if (missing.length > 0)
            throw usageError(`${file}: not ACLED's layout: no column ${missing.join(', ')}`);
          continue;
        }
        counts.rows++;
        const row: AcledRow = {};
        header.forEach((h, i) => {
          if ((ACLED_COLUMNS as readonly string[]).includes(h)) row[h as keyof AcledRow] = value[i] ?? '';
        });
        const mapped = acledEvents(
          row,
          line,
          { crisisId: o.crisis!, timezone: o.timezone },
          mapping,
          registry,
        );
        mapped.rejected.forEach(reject);
        await take({ line, events: mapped.events });
      }
    } else {
      for await (const { line, value } of jsonLines(file, (b) => bar.update(b))) {
        counts.rows++;
        if (value.error) reject({ line, field: '(line)', reason: value.error });
        const got = value.error ? {} : ndjsonEvent(value.json);
        if (got.problem) reject({ line, ...got.problem });
        if (got.skip) counts.skipped++;
        if (got.event) await take({ line, events: [got.event] });
      }
    }
    if (!o.dryRun) await sender.flush();
  } finally {
    bar.stop();
  }
  if (o.dryRun)
    notes.push(
      "dry run: nothing sent; checked locally: each body against the event catalogue (fields, types, formats); not checked: that named entries exist, the deciders' rules, permissions",
    );
  // Read-your-writes: the import returns once this server's read models show what it stored.
  if (!o.dryRun && sender.tally.lastPosition) {
    await http
      .send('GET', `/v1/crises?minPosition=${sender.tally.lastPosition}`)
      .then((r) => r.body.resume());
  }
  rejected.sort((a, b) => a.line - b.line);
  return {
    ok: rejected.length === 0,
    file,
    format,
    dryRun: o.dryRun === true,
    ...counts,
    stored: sender.tally.stored,
    alreadyStored: sender.tally.alreadyStored,
    failed: sender.tally.failed,
    batches: sender.tally.batches,
    position: sender.tally.lastPosition,
    registered: registry.registered,
    rejected,
    notes,
  };
}

function describe(r: ImportResult): string {
  const lines = [
    r.dryRun
      ? `dry run of ${r.file} (${r.format}): ${r.rows} rows, ${r.events} events mapped, ${r.rejected.length} problems; nothing sent`
      : `imported ${r.file} (${r.format}): ${r.rows} rows, ${r.events} events in ${r.batches} batches: ${r.stored} stored, ${r.alreadyStored} already stored, ${r.failed} failed`,
  ];
  if (r.skipped > 0) lines.push(`${r.skipped} lines skipped (API key events are not imported)`);
  const reg = r.registered;
  if (reg.actors.length + reg.sources.length + reg.crises.length > 0) {
    lines.push(
      `${r.dryRun ? 'would register' : 'registered'}: ${reg.actors.length} actors, ${reg.sources.length} sources, ${reg.crises.length} crises`,
    );
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.rejected.length > 0) {
    lines.push(`REJECTED ${new Set(r.rejected.map((x) => x.line)).size} rows:`);
    for (const x of r.rejected)
      lines.push(`  line ${x.line}  ${x.field}: ${x.reason}${x.code ? ` (${x.code})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
