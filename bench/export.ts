// Exports at size (issue 20): GET /v1/exports/{format} over N timeline entries (BENCH_EXPORT_ENTRIES,
// default 1,000,000), each format in turn, on the built service (dist/main.js). The log is the scale
// bench's (bench/lib/scale-data.ts: the service's own write side, bulk-appended to a SqliteEventStore
// in a temporary DATA_DIR), its projections caught up in this process before the service starts.
// For each format: the time to read the whole export over HTTP, its bytes and lines, the server's
// RSS sampled every 50 ms (and its peak since start, VmHWM), the event-loop delay over the export
// (the service's /metrics) and /health latency probed alongside.
//
//   npm run build && npx tsc -p tsconfig.bench.json && node dist/bench/export.js
//   BENCH_EXPORT_ENTRIES=100000 BENCH_EXPORT_FORMATS=ndjson,csv node dist/bench/export.js
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { runBenchmark, workDir } from './lib/children';
import { writeResults } from './lib/report';
import { ScaleLoader } from './lib/scale-data';
import { loadDist, type Dist } from './lib/scale-dist';
import { SpreadClock } from './lib/scale-generator';
import { ServerProcess } from './lib/server';
import { fmt, nowMs, round, summarize, table } from './lib/stats';

const ROOT = resolve(__dirname, '..', '..');
const ADMIN_KEY = 'bench-admin-Xq7Lm2Vp9Rt4Wz8KfJ3c';
const env = process.env;
const num = (name: string, fallback: number): number => {
  const v = Number(env[name] || fallback);
  if (!Number.isFinite(v) || v < 1) throw new Error(`${name} must be a positive number`);
  return v;
};
const ENTRIES = num('BENCH_EXPORT_ENTRIES', 1_000_000);
const FORMATS = (env.BENCH_EXPORT_FORMATS || 'ndjson,csv,acled,geojson,timelinejs')
  .split(',')
  .map((s) => s.trim());
const OPTIONS = {
  entries: ENTRIES,
  formats: FORMATS,
  pageSize: env.BENCH_EXPORT_PAGE_SIZE ? num('BENCH_EXPORT_PAGE_SIZE', 500) : null,
  readWorkers: env.READ_WORKERS ?? null,
  minutes: num('BENCH_EXPORT_MINUTES', Math.ceil(15 + (ENTRIES / 1_000_000) * 240)),
  out: env.BENCH_EXPORT_OUT || join(ROOT, 'bench', 'results', 'export.json'),
};

/** Report types: each report event starts one timeline entry. */
function reportTypes(): ReadonlySet<string> {
  const load = createRequire(join(ROOT, 'dist', 'main.js'));
  const names = (
    load(join(ROOT, 'dist', 'chronology', 'events', 'report-type-names.js')) as {
      REPORT_TYPE_NAMES: readonly string[];
    }
  ).REPORT_TYPE_NAMES;
  return new Set(names);
}

/** Appends generated events until the log holds at least `entries` entries; projects them. */
async function prepare(
  dist: Dist,
  dataDir: string,
  baselineDir: string,
): Promise<{ events: number; entries: number }> {
  const clock = new SpreadClock(Math.max(1, Math.floor((365 * 86_400_000) / (ENTRIES * 2))));
  const loader = new ScaleLoader(dist, baselineDir);
  const store = new dist.SqliteEventStore({ file: join(dataDir, 'events.db'), clock });
  const reports = reportTypes();
  const entries = (): number =>
    [...loader.generator.counts].reduce((n, [type, count]) => n + (reports.has(type) ? count : 0), 0);
  const l0 = nowMs();
  let lastLog = 0;
  while (entries() < ENTRIES) {
    const ratio = loader.total > 0 ? loader.total / Math.max(1, entries()) : 1.2;
    const step = Math.min(100_000, Math.max(1_000, Math.ceil((ENTRIES - entries()) * ratio)));
    await loader.loadTo(store, loader.total + step, (done) => {
      if (done - lastLog >= 100_000) {
        lastLog = done;
        console.log(`   ${fmt(done)} events, ${fmt(entries())} entries`);
      }
    });
  }
  console.log(
    `   loaded ${fmt(loader.total)} events (${fmt(entries())} entries) in ${fmt((nowMs() - l0) / 1000)} s`,
  );
  loader.close();
  const head = (await store.headPosition())!;
  const readDb = dist.openSqlite(join(dataDir, 'read-models.db'), { synchronous: 'NORMAL' });
  const runner = new dist.ProjectionRunner(store, readDb, dist.projections, { decode: dist.decodeEvent });
  const p0 = nowMs();
  runner.start();
  if (!(await runner.applied.waitFor(head, OPTIONS.minutes * 60_000)))
    throw new Error('projections did not catch up');
  console.log(`   projected in ${fmt((nowMs() - p0) / 1000)} s`);
  await runner.stop();
  readDb.close();
  await store.close();
  return { events: loader.total, entries: entries() };
}

interface FormatFigures {
  readonly format: string;
  readonly seconds: number;
  readonly entriesPerSec: number;
  readonly bytes: number;
  readonly lines: number;
  readonly position: string | null;
  readonly rssBeforeMb: number;
  readonly rssPeakSampledMb: number;
  /** Anonymous memory (heaps, SQLite page caches), without the mapped files and code. */
  readonly anonBeforeMb: number;
  readonly anonPeakSampledMb: number;
  readonly vmHwmMb: number;
  readonly loopDelayMs: { p50: number; p99: number; max: number } | null;
  readonly healthMs: { n: number; p50: number; p99: number; max: number };
}

/** One export read to its end, with the server watched while it runs. */
async function exportOnce(server: ServerProcess, format: string, entries: number): Promise<FormatFigures> {
  await server.metrics(ADMIN_KEY); // resets the service's event-loop histogram
  const rssBeforeMb = server.rssMb();
  const anonBeforeMb = server.rssMb('RssAnon');
  let rssPeak = rssBeforeMb;
  let anonPeak = anonBeforeMb;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, server.rssMb());
    anonPeak = Math.max(anonPeak, server.rssMb('RssAnon'));
  }, 50);
  const health: number[] = [];
  let running = true;
  const prober = (async () => {
    while (running) {
      const h0 = nowMs();
      await fetch(`${server.url}/health`).then((r) => r.arrayBuffer());
      health.push(nowMs() - h0);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const t0 = nowMs();
  const qs = OPTIONS.pageSize ? `?pageSize=${OPTIONS.pageSize}` : '';
  const res = await fetch(`${server.url}/v1/exports/${format}${qs}`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  if (res.status !== 200) throw new Error(`${format}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
  }
  const seconds = (nowMs() - t0) / 1000;
  running = false;
  clearInterval(sampler);
  await prober;
  const loop = (await server.metrics(ADMIN_KEY)).eventLoopDelayMs;
  const h = summarize(health);
  return {
    format,
    seconds: round(seconds, 2),
    entriesPerSec: Math.round(entries / seconds),
    bytes,
    lines,
    position: res.headers.get('x-export-position'),
    rssBeforeMb: round(rssBeforeMb, 1),
    rssPeakSampledMb: round(rssPeak, 1),
    anonBeforeMb: round(anonBeforeMb, 1),
    anonPeakSampledMb: round(anonPeak, 1),
    vmHwmMb: round(server.rssMb('VmHWM'), 1),
    loopDelayMs: loop ? { p50: round(loop.p50), p99: round(loop.p99), max: round(loop.max) } : null,
    healthMs: { n: h.n, p50: round(h.p50), p99: round(h.p99), max: round(h.max) },
  };
}

async function main(): Promise<void> {
  const work = workDir('chronology-export-');
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  mkdirSync(join(work, 'baseline'));
  const dist = loadDist(ROOT);
  console.log(
    `bench:export: ${cpus().length} cores, node ${process.version}, ${fmt(ENTRIES)} entries, formats ${FORMATS.join(', ')}`,
  );
  const log = await prepare(dist, dataDir, join(work, 'baseline'));
  const server = await ServerProcess.start({
    root: ROOT,
    dataDir,
    adminKey: ADMIN_KEY,
    env: env.READ_WORKERS ? { READ_WORKERS: env.READ_WORKERS } : {},
  });
  const startRssMb = server.rssMb();
  const runs: FormatFigures[] = [];
  for (const format of FORMATS) {
    const r = await exportOnce(server, format, log.entries);
    runs.push(r);
    console.log(
      `   ${format}: ${fmt(r.seconds, 2)} s, ${fmt(r.bytes / 1024 / 1024)} MB, peak RSS ${fmt(r.rssPeakSampledMb)} MB`,
    );
  }
  await server.stop();
  console.log(
    `\n${fmt(log.entries)} entries (${fmt(log.events)} events); server RSS at start ${fmt(startRssMb)} MB\n` +
      table(
        [
          'format',
          's',
          'entries/s',
          'MB',
          'RSS before',
          'RSS peak',
          'anon peak',
          'VmHWM',
          'loop p99',
          'loop max',
          '/health p99',
        ],
        runs.map((r) => [
          r.format,
          fmt(r.seconds, 2),
          fmt(r.entriesPerSec),
          fmt(r.bytes / 1024 / 1024),
          fmt(r.rssBeforeMb),
          fmt(r.rssPeakSampledMb),
          fmt(r.anonPeakSampledMb),
          fmt(r.vmHwmMb),
          fmt(r.loopDelayMs?.p99 ?? NaN),
          fmt(r.loopDelayMs?.max ?? NaN),
          fmt(r.healthMs.p99),
        ]),
      ),
  );
  await writeResults(OPTIONS.out, {
    date: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version, platform: process.platform },
    options: { ...OPTIONS, out: undefined },
    log: { ...log, serverStartRssMb: round(startRssMb, 1) },
    formats: runs,
  });
}

runBenchmark('bench:export', OPTIONS.minutes, main);
