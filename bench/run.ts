// npm run bench: the built service in its own process on a temporary SQLite data dir, measured over
// real HTTP, each figure beside a baseline from the same run. Figures on a shared 2-core machine are
// noisy: compare ratios, and runs against each other, rather than single numbers.
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { appendRun } from './lib/append';
import { bulkRun } from './lib/bulk';
import { runBenchmark, workDir } from './lib/children';
import { Client } from './lib/http';
import { REGISTRY, reportBody } from './lib/payloads';
import { ServerProcess } from './lib/server';
import { report, writeResults, type Append } from './lib/report';
import { sqliteBaseline } from './lib/sqlite-baseline';
import { Subscribers, type DeliveryResult } from './lib/sse';
import { fmt } from './lib/stats';
import { writeReport, type Bulk } from './lib/write-report';

const ROOT = resolve(__dirname, '..', '..');
/** Where the built service (dist/main.js) is taken from: this checkout, or another build to compare. */
const SERVER_ROOT = resolve(process.env.BENCH_SERVER_ROOT || ROOT);
const ADMIN_KEY = 'bench-admin-Xq7Lm2Vp9Rt4Wz8KfJ3c';
const num = (name: string, fallback: number): number => Number(process.env[name] || fallback);
const OPTIONS = {
  appendEvents: num('BENCH_APPEND_EVENTS', 3000),
  concurrency: (process.env.BENCH_CONCURRENCY ?? '1,16,64')
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  subscribers: num('BENCH_SUBSCRIBERS', 1000),
  readerProcesses: num('BENCH_READER_PROCESSES', 2),
  /** Append rates (events/s) at which delivery to the subscribers is measured, each for liveSeconds. */
  liveRates: (process.env.BENCH_LIVE_RATES ?? '10,25,50')
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  liveSeconds: num('BENCH_LIVE_SECONDS', 10),
  /** Events sent through POST /v1/events/batch, 1,000 per request (0: no bulk run). */
  bulkEvents: num('BENCH_BULK_EVENTS', 20000),
};
const TIMELINE = '/v1/timeline/live';
const EVENTS = '/v1/events/live';

async function main(): Promise<void> {
  const work = workDir('chronology-bench-');
  let seq = 0;
  const bodies = (n: number): string[] => Array.from({ length: n }, () => reportBody(seq++));
  console.log(`bench: ${cpus().length} cores, node ${process.version}, data in ${work}`);
  console.log(`service: ${join(SERVER_ROOT, 'dist', 'main.js')}`);
  console.log('1/5 raw better-sqlite3 baseline (WAL, synchronous=FULL)');
  mkdirSync(join(work, 'baseline'));
  const before = sqliteBaseline(join(work, 'baseline'), bodies(OPTIONS.appendEvents), 'before');

  console.log('2/5 HTTP appends, then the bulk path');
  const server = await ServerProcess.start({
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
  let bulk: Bulk | null = null;
  if (OPTIONS.bulkEvents > 0) {
    const cpu0 = server.cpuMs();
    const run = await bulkRun(server.url, ADMIN_KEY, bodies(OPTIONS.bulkEvents), 1000);
    bulk = { ...run, serverCpuMsPerEvent: (server.cpuMs() - cpu0) / run.events };
    console.log(`   bulk, 1000 per request: ${fmt(bulk.eventsPerSec)} events/s`);
  }
  const idleRssMb = server.rssMb();

  const topRate = Math.max(...OPTIONS.liveRates);
  const events = (rate: number): string[] => bodies(Math.max(50, Math.round(rate * OPTIONS.liveSeconds)));
  console.log(`3/5 append -> SSE delivery, 1 subscriber, ${topRate} events/s`);
  const one = await Subscribers.connect(server, ADMIN_KEY, [
    { path: TIMELINE, subscribers: 1, processes: 1 },
  ]);
  const single = await one.run(events(topRate), topRate);
  await one.close();
  const half = Math.ceil(OPTIONS.subscribers / 2);
  const procs = Math.max(1, Math.floor(OPTIONS.readerProcesses / 2));
  const feeds = [
    { path: TIMELINE, subscribers: half, processes: procs },
    { path: EVENTS, subscribers: OPTIONS.subscribers - half, processes: procs },
  ];
  /**
   * The subscribers connect once and stay for every rate. An unmeasured run comes first, as for
   * appends: the fan-out path and the readers warm (JIT), the append runs' garbage collected.
   */
  const sweep = async (target: ServerProcess, step: string, what: string): Promise<DeliveryResult[]> => {
    const subscribers = await Subscribers.connect(target, ADMIN_KEY, feeds);
    const lowest = Math.min(...OPTIONS.liveRates);
    console.log(`${step} warm-up of ${what}: ${OPTIONS.subscribers} subscribers, 3 s at ${lowest} events/s`);
    await subscribers.run(bodies(lowest * 3), lowest);
    const results: DeliveryResult[] = [];
    for (const rate of OPTIONS.liveRates) {
      console.log(
        `${step} ${what}: append -> SSE delivery, ${OPTIONS.subscribers} subscribers, ${rate} events/s`,
      );
      results.push(await subscribers.run(events(rate), rate));
    }
    await subscribers.close();
    return results;
  };
  const many = await sweep(server, '4/5', 'the service');
  await server.stop();
  const serverLog = server.output().trim();
  if (serverLog) console.log(`server log (tail):\n${serverLog.slice(-1500)}`);
  mkdirSync(join(work, 'floor'));
  const floorServer = await ServerProcess.start({
    root: SERVER_ROOT,
    dataDir: join(work, 'floor'),
    adminKey: ADMIN_KEY,
    script: join(__dirname, 'lib', 'sse-floor.js'),
  });
  const floor = await sweep(floorServer, '5/5', 'the delivery floor (bare durable server)');
  await floorServer.stop();
  // Again at the end: the disk is shared, so its fsync rate drifts during the run.
  const after = sqliteBaseline(join(work, 'baseline'), bodies(OPTIONS.appendEvents), 'after');

  const results = report(OPTIONS, [before, after], appends, single, many, floor, idleRssMb);
  const writePath = writeReport([before, after], appends, bulk);
  await writeResults(join(ROOT, 'bench', 'results', 'latest.json'), { ...results, writePath });
  const failures = [single, ...many, ...floor].filter((d) => d.missing > 0);
  if (failures.length > 0) {
    throw new Error(`SSE messages missing: ${failures.map((d) => d.missing).join(', ')}`);
  }
}

runBenchmark('bench', 15, main);
