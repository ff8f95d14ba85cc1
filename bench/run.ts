// npm run bench: the built service in its own process on a temporary SQLite data dir, measured over
// real HTTP, each figure beside a baseline from the same run. Figures on a shared 2-core machine are
// noisy: compare ratios, and runs against each other, rather than single numbers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { appendRun, type AppendResult } from './lib/append';
import { killAll } from './lib/children';
import { Client } from './lib/http';
import { REGISTRY, reportBody } from './lib/payloads';
import { ServerProcess } from './lib/server';
import { sqliteBaseline, type BaselineResult } from './lib/sqlite-baseline';
import { deliveryRun, type DeliveryResult } from './lib/sse';
import { fmt, round, table, type Summary } from './lib/stats';

const ROOT = resolve(__dirname, '..', '..');
/** Where the built service (dist/main.js) is taken from: this checkout, or another build to compare. */
const SERVER_ROOT = resolve(process.env.BENCH_SERVER_ROOT || ROOT);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const num = (name: string, fallback: number): number => Number(process.env[name] || fallback);
const OPTIONS = {
  appendEvents: num('BENCH_APPEND_EVENTS', 3000),
  concurrency: (process.env.BENCH_CONCURRENCY ?? '1,8,32')
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  subscribers: num('BENCH_SUBSCRIBERS', 1000),
  readerProcesses: num('BENCH_READER_PROCESSES', 2),
  liveEvents: num('BENCH_LIVE_EVENTS', 500),
  liveRate: num('BENCH_LIVE_RATE', 50),
};
const TARGETS = { appendEventsPerSec: 5000, appendP99Ms: 25, deliveryP99Ms: 50 };
const TIMELINE = '/v1/timeline/live';
const EVENTS = '/v1/events/live';

type Append = AppendResult & { readonly serverCpuMsPerEvent: number };

const ms = (s: Summary): string[] => [fmt(s.p50, 2), fmt(s.p99, 2), fmt(s.max, 2)];
const summaryJson = (s: Summary): Record<string, number> => ({
  n: s.n,
  p50: round(s.p50, 3),
  p99: round(s.p99, 3),
  max: round(s.max, 3),
  mean: round(s.mean, 3),
});

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'chronology-bench-'));
  let server: ServerProcess | null = null;
  let seq = 0;
  const bodies = (n: number): string[] => Array.from({ length: n }, () => reportBody(seq++));
  try {
    console.log(`bench: ${cpus().length} cores, node ${process.version}, data in ${work}`);
    console.log(`service: ${join(SERVER_ROOT, 'dist', 'main.js')}`);
    console.log('1/4 raw better-sqlite3 baseline (WAL, synchronous=FULL)');
    mkdirSync(join(work, 'baseline'));
    const before = sqliteBaseline(join(work, 'baseline'), bodies(OPTIONS.appendEvents), 'before');

    console.log('2/4 HTTP appends');
    server = await ServerProcess.start({
      root: SERVER_ROOT,
      dataDir: join(work, 'data'),
      adminKey: ADMIN_KEY,
      nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS || '').split(' ').filter(Boolean),
    });
    const setup = new Client(server.url, ADMIN_KEY, 1);
    for (const e of REGISTRY) await setup.append(JSON.stringify(e));
    setup.close();
    await appendRun(server.url, ADMIN_KEY, 8, bodies(300)); // warm-up (JIT, caches)
    const appends: Append[] = [];
    for (const c of OPTIONS.concurrency) {
      const cpu0 = server.cpuMs();
      const run = await appendRun(server.url, ADMIN_KEY, c, bodies(OPTIONS.appendEvents));
      const r = { ...run, serverCpuMsPerEvent: (server.cpuMs() - cpu0) / run.events };
      console.log(`   ${c} clients: ${fmt(r.eventsPerSec)} events/s, p99 ${fmt(r.latency.p99, 2)} ms`);
      appends.push(r);
    }
    const idleRssMb = server.rssMb();

    console.log(`3/4 append -> SSE delivery, 1 subscriber (baseline)`);
    const single = await deliveryRun(
      server,
      ADMIN_KEY,
      [{ path: TIMELINE, subscribers: 1, processes: 1 }],
      bodies(OPTIONS.liveEvents),
      OPTIONS.liveRate,
    );
    console.log(`4/4 append -> SSE delivery, ${OPTIONS.subscribers} subscribers`);
    const half = Math.ceil(OPTIONS.subscribers / 2);
    const procs = Math.max(1, Math.floor(OPTIONS.readerProcesses / 2));
    const many = await deliveryRun(
      server,
      ADMIN_KEY,
      [
        { path: TIMELINE, subscribers: half, processes: procs },
        { path: EVENTS, subscribers: OPTIONS.subscribers - half, processes: procs },
      ],
      bodies(OPTIONS.liveEvents),
      OPTIONS.liveRate,
    );
    await server.stop();
    const serverLog = server.output().trim();
    server = null;
    if (serverLog) console.log(`server log (tail):\n${serverLog.slice(-1500)}`);
    // Again at the end: the disk is shared, so its fsync rate drifts during the run.
    const after = sqliteBaseline(join(work, 'baseline'), bodies(OPTIONS.appendEvents), 'after');

    await writeResults(report([before, after], appends, single, many, idleRssMb));
    const failures = [single, many].filter((d) => d.missing > 0);
    if (failures.length > 0) {
      throw new Error(`SSE messages missing: ${failures.map((d) => d.missing).join(', ')}`);
    }
  } catch (e) {
    if (server) console.error(`server output (tail):\n${server.output()}`);
    throw e;
  } finally {
    if (server) await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function report(
  baselines: BaselineResult[],
  appends: Append[],
  single: DeliveryResult,
  many: DeliveryResult,
  idleRssMb: number,
): object {
  // Ratios against the mean of the two baseline runs (before and after the service's runs).
  const mean = (f: (b: BaselineResult) => number): number =>
    baselines.reduce((sum, b) => sum + f(b), 0) / baselines.length;
  const raw = mean((b) => b.perEventTx.eventsPerSec);
  const batched = mean((b) => b.batchedTx.eventsPerSec);
  const when = ['before', 'after'];
  console.log('\nAppend throughput (POST /v1/events, one event per request, synchronous=FULL)');
  console.log(
    table(
      [
        '',
        'events/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'vs raw 1 tx/event',
        'vs raw batched',
        'server CPU ms/event',
      ],
      [
        ...baselines.map((b, i) => [
          `raw SQLite, 1 tx/event (${when[i]})`,
          fmt(b.perEventTx.eventsPerSec),
          ...ms(b.perEventTx.latency),
          fmt(b.perEventTx.eventsPerSec / raw, 2),
          fmt(b.perEventTx.eventsPerSec / batched, 3),
          '-',
        ]),
        ...baselines.map((b, i) => [
          `raw SQLite, ${b.batchedTx.batch}/tx (${when[i]})`,
          fmt(b.batchedTx.eventsPerSec),
          '-',
          '-',
          '-',
          fmt(b.batchedTx.eventsPerSec / raw, 2),
          fmt(b.batchedTx.eventsPerSec / batched, 2),
          '-',
        ]),
        ...appends.map((a) => [
          `HTTP, ${a.concurrency} client${a.concurrency > 1 ? 's' : ''}`,
          fmt(a.eventsPerSec),
          ...ms(a.latency),
          fmt(a.eventsPerSec / raw, 2),
          fmt(a.eventsPerSec / batched, 3),
          fmt(a.serverCpuMsPerEvent, 2),
        ]),
      ],
    ),
  );
  console.log(
    `\nAppend -> SSE delivery (${many.events} events at ${many.ratePerSec}/s; POST sent -> message received, every (event, subscriber) pair)`,
  );
  const row = (name: string, s: Summary): string[] => [
    name,
    String(s.n),
    ...ms(s),
    fmt(s.p99 / single.latency.p99, 2),
  ];
  console.log(
    table(
      ['', 'pairs', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs 1 sub'],
      [
        row('1 subscriber (timeline)', single.latency),
        row(`${many.subscribers} subscribers, all`, many.latency),
        ...Object.entries(many.byFeed).map(([path, s]) => row(`  of which ${path}`, s)),
      ],
    ),
  );
  console.log(
    `Server CPU while posting: ${fmt(single.serverCpuPercent, 0)}% of a core with 1 subscriber, ${fmt(many.serverCpuPercent, 0)}% with ${many.subscribers} (reader processes: ${many.readerCpuPercent.map((c) => `${fmt(c, 0)}%`).join(', ')})`,
  );
  console.log(
    `POST round trip while ${many.subscribers} subscribed: p50 ${fmt(many.appendLatency.p50, 2)} ms, p99 ${fmt(many.appendLatency.p99, 2)} ms (1 subscriber: p99 ${fmt(single.appendLatency.p99, 2)} ms)`,
  );
  const rss = many.serverRssMb;
  console.log(
    `Server RSS: ${fmt(rss.before)} MB before the ${many.subscribers} subscribers, ${fmt(rss.connected)} MB once connected (${fmt(((rss.connected - rss.before) * 1024) / many.subscribers)} KB each, GC noise included), ${fmt(rss.afterEvents)} MB after the events; peak ${fmt(rss.peak)} MB; connecting took ${fmt(many.connectSeconds, 2)} s`,
  );
  if (many.missing || single.missing) console.log(`MISSING deliveries: ${single.missing + many.missing}`);
  const c32 = appends.find((a) => a.concurrency === 32);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  console.log('\nTargets (quality.md; noisy shared machine)');
  if (c32) {
    console.log(
      `  append, 32 clients >= ${TARGETS.appendEventsPerSec}/s, p99 <= ${TARGETS.appendP99Ms} ms: ${verdict(c32.eventsPerSec >= TARGETS.appendEventsPerSec && c32.latency.p99 <= TARGETS.appendP99Ms)}`,
    );
  }
  console.log(
    `  delivery p99 <= ${TARGETS.deliveryP99Ms} ms with ${many.subscribers} subscribers: ${verdict(many.latency.p99 <= TARGETS.deliveryP99Ms)}`,
  );

  const results = {
    date: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version, platform: process.platform },
    options: OPTIONS,
    targets: TARGETS,
    sqliteBaseline: baselines.map((b, i) => ({
      when: when[i],
      events: b.events,
      perEventTx: {
        eventsPerSec: round(b.perEventTx.eventsPerSec),
        latencyMs: summaryJson(b.perEventTx.latency),
      },
      batchedTx: { eventsPerSec: round(b.batchedTx.eventsPerSec), batch: b.batchedTx.batch },
    })),
    sqliteBaselineMean: { perEventTxEventsPerSec: round(raw), batchedTxEventsPerSec: round(batched) },
    append: appends.map((a) => ({
      concurrency: a.concurrency,
      events: a.events,
      eventsPerSec: round(a.eventsPerSec),
      latencyMs: summaryJson(a.latency),
      ratioToRawPerEventTx: round(a.eventsPerSec / raw, 3),
      ratioToRawBatched: round(a.eventsPerSec / batched, 4),
      serverCpuMsPerEvent: round(a.serverCpuMsPerEvent, 3),
    })),
    delivery: [single, many].map((d) => ({
      subscribers: d.subscribers,
      events: d.events,
      ratePerSec: d.ratePerSec,
      latencyMs: summaryJson(d.latency),
      byFeed: Object.fromEntries(Object.entries(d.byFeed).map(([k, s]) => [k, summaryJson(s)])),
      missing: d.missing,
      appendLatencyMs: summaryJson(d.appendLatency),
      connectSeconds: round(d.connectSeconds),
      serverRssMb: Object.fromEntries(Object.entries(d.serverRssMb).map(([k, v]) => [k, round(v, 1)])),
      serverCpuPercent: round(d.serverCpuPercent, 1),
      readerCpuPercent: d.readerCpuPercent.map((c) => round(c, 1)),
    })),
    serverRssMb: {
      afterAppendRuns: round(idleRssMb, 1),
      beforeSubscribers: round(many.serverRssMb.before, 1),
      withSubscribers: round(many.serverRssMb.connected, 1),
      peak: round(many.serverRssMb.peak, 1),
    },
  };
  return results;
}

/** bench/results/latest.json, formatted as the repository's prettier settings want it. */
async function writeResults(results: object): Promise<void> {
  const file = join(ROOT, 'bench', 'results', 'latest.json');
  mkdirSync(dirname(file), { recursive: true });
  let text = `${JSON.stringify(results, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    text = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // unformatted, still valid JSON
  }
  writeFileSync(file, text);
  console.log(`\nwrote ${file}`);
}

const deadline = setTimeout(() => {
  console.error('bench: gave up after 15 minutes');
  killAll();
  process.exit(1);
}, 15 * 60_000);
main()
  .then(() => {
    clearTimeout(deadline);
    process.exit(0);
  })
  .catch((e: unknown) => {
    console.error(`bench failed: ${(e as Error).stack ?? String(e)}`);
    killAll();
    process.exit(1);
  });
