import type { Command } from 'commander';
import { createWriteStream, writeFileSync } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { progress, printJson, type Io, type Progress } from '../cli-io';
import { usageError } from '../exit-codes';
import { bodyError, Http, serverError, text, type HttpResponse } from '../http-client';
import { connectionOptions, positiveInt, type Connection } from './options';

/** The formats of GET /v1/exports/{format}; `log` is the audit log (GET /v1/audit/log). */
export const EXPORT_FORMATS = ['log', 'ndjson', 'csv', 'acled', 'geojson', 'timelinejs'] as const;

/** The timeline's filters, as options, passed through to GET /v1/exports/{format} under these names. */
const FILTERS: ReadonlyArray<[flag: string, param: string, help: string]> = [
  ['--crisis <id>', 'crisis', 'only this crisis'],
  ['--from <time>', 'from', 'entries that happened from then (valid time)'],
  ['--to <time>', 'to', 'entries that happened until then'],
  ['--type <types>', 'type', 'event types, comma-separated'],
  ['--actor <id>', 'actor', 'entries naming this actor'],
  ['--include-members', 'includeMembers', "with --actor: its members' entries too"],
  ['--linked-to <entryId>', 'linkedTo', 'entries linked with this one'],
  ['--disputed <field>', 'disputed', 'entries with this field disputed (* for whole-entry disputes)'],
  ['--country <code>', 'country', 'entries with a place in this country'],
  ['--place <name>', 'place', 'entries with a place of this name'],
  ['--status <statuses>', 'status', 'statuses, comma-separated'],
  [
    '--min-reliability <grade>',
    'minReliability',
    'A-F: sources (or attribution chains) at least this reliable',
  ],
  ['--q <text>', 'q', 'text search'],
  ['--as-of <instant>', 'asOf', 'as the chronology stood at this instant (transaction time)'],
  ['--at-position <position>', 'atPosition', 'as the chronology stood at this log position'],
];

interface ExportOptions extends Connection, Record<string, unknown> {
  format: string;
  out?: string;
  treeSize?: number;
  filter: string[];
}

const camel = (flag: string): string =>
  flag
    .replace(/^--/, '')
    .split(' ')[0]!
    .replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export function registerExport(program: Command, io: Io, env: NodeJS.ProcessEnv): void {
  const cmd = program
    .command('export')
    .description(
      'Download the audit log (--format log, the default: NDJSON and the signed checkpoint it ends at) or the timeline as ndjson, csv, acled, geojson or timelinejs (GET /v1/exports/{format}, with the timeline filters)',
    )
    .option('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`, 'log')
    .option(
      '-o, --out <file>',
      'where to write (log: required, the checkpoint goes to <file>.checkpoint; others: stdout if absent)',
    )
    .option('--tree-size <n>', 'log: the size of a signed checkpoint (default: the latest)', positiveInt)
    .option('--filter <name=value>', 'any other query parameter of the export, repeatable', collect, []);
  for (const [flag, , help] of FILTERS) cmd.option(flag, help);
  connectionOptions(cmd, env).action(async (o: ExportOptions) => {
    if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) {
      throw usageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${o.format}")`);
    }
    if (o.json && !o.out) {
      // stdout holds one JSON document with --json: the export itself cannot go there too.
      throw usageError('export --json needs -o <file>: without it the export is written to stdout');
    }
    const http = new Http(o.url, o.apiKey);
    const result = o.format === 'log' ? await exportLog(http, o, io) : await exportFormat(http, o, io);
    if (o.json) printJson(io, { ok: true, format: o.format, ...result });
    else {
      const at = result.position ? ` at position ${result.position}` : '';
      const message =
        o.format === 'log'
          ? `exported ${result.treeSize} leaves to ${o.out}; checkpoint in ${o.out}.checkpoint\n`
          : `exported ${result.lines} lines (${result.bytes} bytes) of ${o.format} to ${o.out}${at}\n`;
      // With no -o the export itself is on stdout: the summary goes to stderr.
      if (o.out) io.out(message);
      else io.err(message);
    }
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface Exported {
  out: string | null;
  bytes: number;
  lines: number;
  treeSize?: number;
  checkpoint?: string;
  position?: string | null;
}

async function exportLog(http: Http, o: ExportOptions, io: Io): Promise<Exported> {
  if (!o.out) throw usageError('export --format log needs -o <file> (the checkpoint goes beside it)');
  const res = await http.open(`/v1/audit/log${o.treeSize ? `?treeSize=${o.treeSize}` : ''}`);
  const treeSize = String(res.headers['x-tree-size'] ?? '');
  const counted = await save(res, o.out, io, 'export', Number(treeSize) || 0, 'leaves');
  const note = await http.send('GET', `/v1/audit/checkpoint?treeSize=${treeSize}`, {
    headers: { accept: 'text/plain' },
  });
  if (note.status !== 200) throw await serverError('GET', '/v1/audit/checkpoint', note);
  writeFileSync(`${o.out}.checkpoint`, await text(note));
  return { out: o.out, ...counted, treeSize: Number(treeSize), checkpoint: `${o.out}.checkpoint` };
}

async function exportFormat(http: Http, o: ExportOptions, io: Io): Promise<Exported> {
  const params = new URLSearchParams();
  for (const [flag, param] of FILTERS) {
    const value = o[camel(flag)];
    if (value === true) params.set(param, 'true');
    else if (typeof value === 'string') params.set(param, value);
  }
  for (const f of o.filter) {
    const eq = f.indexOf('=');
    if (eq < 1) throw usageError(`--filter takes name=value (got "${f}")`);
    params.append(f.slice(0, eq), f.slice(eq + 1));
  }
  const query = params.size > 0 ? `?${params.toString()}` : '';
  const res = await http.open(`/v1/exports/${o.format}${query}`);
  const position = (res.headers['x-export-position'] as string | undefined) ?? null;
  const counted = await save(res, o.out ?? null, io, `export ${o.format}`, 0, 'lines');
  return { out: o.out ?? null, ...counted, position };
}

/** Streams a body to a file (or stdout), counting lines for the progress bar and the result. */
async function save(
  res: HttpResponse,
  file: string | null,
  io: Io,
  label: string,
  total: number,
  unit: string,
): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  const bar: Progress = progress(io, label, total, unit);
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      bar.update(lines);
      done(null, chunk);
    },
  });
  const sink = file ? createWriteStream(file) : stdoutSink(io);
  try {
    await pipeline(res.body, count, sink);
  } catch (e) {
    throw bodyError(e);
  } finally {
    bar.stop();
  }
  return { bytes, lines };
}

/** The body onto `io.out`, waiting for it to drain. */
export function stdoutSink(io: Io): Writable {
  // A character split between two chunks is held back until its last byte arrives.
  const text = new StringDecoder('utf8');
  return new Writable({
    final(done) {
      const rest = text.end();
      if (rest) io.out(rest);
      done();
    },
    write(chunk: Buffer, _enc, done) {
      io.out(text.write(chunk));
      (io.drain ? io.drain() : Promise.resolve()).then(() => done(), done);
    },
  });
}
