// npm run bench:scale: the read side at size (issue 13). A skewed log (one heavy actor in about a
// third of the reports, Zipf-distributed others, mostly short and a few long occurred intervals) is
// produced by the service's own write side and bulk-appended to a SqliteEventStore in a temporary
// DATA_DIR, size after size (BENCH_SCALE_SIZES, default 10000,100000). At each size the app's
// projections catch up, the built service (dist/main.js) is started on that DATA_DIR and every read
// route is measured over real HTTP with 16 concurrent clients, with /health latency and the server's
// event-loop delay alongside; then a heavy phase cycles over the heaviest routes. A final table
// compares each route's p99 across the sizes, against the issue's gates.
import { mkdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { runBenchmark, workDir } from './lib/children';
import { writeResults } from './lib/report';
import { coldStart, printColdStart, type ColdStart } from './lib/scale-cold';
import { ScaleLoader } from './lib/scale-data';
import { loadDist, type Dist } from './lib/scale-dist';
import { printComparison } from './lib/scale-gates';
import { SpreadClock } from './lib/scale-generator';
import { GetClient } from './lib/scale-http';
import { heavyPhase, measureRoute, verifyRun, type RouteResult } from './lib/scale-load';
import { HEAVY_ACTOR, MINOR_CRISIS, RARE_TERM } from './lib/scale-registry';
import { printSize, sizeJson, type SizeFigures } from './lib/scale-report';
import { discoverRoutes } from './lib/scale-routes';
import { skewReport } from './lib/scale-skew-report';
import { ServerProcess } from './lib/server';
import { fmt, nowMs } from './lib/stats';

const ROOT = resolve(__dirname, '..', '..');
const ADMIN_KEY = 'bench-admin-Xq7Lm2Vp9Rt4Wz8KfJ3c';
const env = process.env;
const num = (name: string, fallback: number): number => {
  const v = Number(env[name] || fallback);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
};
const flag = (name: string, fallback: boolean): boolean => {
  const v = env[name];
  return v === undefined || v === '' ? fallback : !['0', 'false', 'no'].includes(v);
};
const SIZES = [
  ...new Set((env.BENCH_SCALE_SIZES || '10000,100000').split(',').map((s) => Number(s.trim()))),
].sort((a, b) => a - b);
if (env.BENCH_SCALE_EVENTS) {
  throw new Error('BENCH_SCALE_EVENTS is gone: give the sizes, e.g. BENCH_SCALE_SIZES=10000,100000,1000000');
}
if (SIZES.length === 0 || SIZES.some((s) => !Number.isInteger(s) || s < 1000)) {
  throw new Error('BENCH_SCALE_SIZES must be a comma list of event counts of at least 1000');
}
const LARGEST = SIZES[SIZES.length - 1]!;
const OPTIONS = {
  sizes: SIZES,
  clients: num('BENCH_SCALE_CLIENTS', 16),
  requests: num('BENCH_SCALE_REQUESTS', 200),
  warmup: num('BENCH_SCALE_WARMUP', 32),
  heavySeconds: num('BENCH_SCALE_HEAVY_SECONDS', 10),
  rebuild: flag('BENCH_SCALE_REBUILD', false),
  verify: flag('BENCH_SCALE_VERIFY', true),
  coldSeconds: num('BENCH_SCALE_COLD_SECONDS', 60),
  minutes: num('BENCH_SCALE_MINUTES', Math.ceil(20 + (LARGEST / 1_000_000) * 200)),
  out: env.BENCH_SCALE_OUT || join(ROOT, 'bench', 'results', 'scale.json'),
};
const rssMb = (): number => process.memoryUsage().rss / 1024 / 1024;
const fileMb = (f: string): number => statSync(f).size / 1024 / 1024;

interface Prepared {
  readonly load: SizeFigures['load'];
  readonly project: SizeFigures['project'];
  readonly rebuilds: SizeFigures['rebuilds'];
}

/** Appends up to `size` events, lets every projection catch up, rebuilds them if asked. */
async function prepare(
  dist: Dist,
  loader: ScaleLoader,
  clock: SpreadClock,
  dataDir: string,
  size: number,
): Promise<Prepared> {
  const store = new dist.SqliteEventStore({ file: join(dataDir, 'events.db'), clock });
  let lastLog = loader.total;
  const load = await loader.loadTo(store, size, (done) => {
    if (done - lastLog >= 100_000 || done >= size) {
      lastLog = done;
      console.log(`   ${fmt(done)} events`);
    }
  });
  const head = (await store.headPosition())!;
  const readDb = dist.openSqlite(join(dataDir, 'read-models.db'), { synchronous: 'NORMAL' });
  const runner = new dist.ProjectionRunner(store, readDb, dist.projections, { decode: dist.decodeEvent });
  const p0 = nowMs();
  runner.start();
  const caughtUp = await runner.applied.waitFor(head, OPTIONS.minutes * 60_000);
  const project = { events: load.events, ms: nowMs() - p0, benchRssMb: rssMb() };
  if (!caughtUp) throw new Error('the projections did not catch up in time');
  console.log(`   projections caught up at ${fmt((project.events / project.ms) * 1000)} events/s`);
  let rebuilds: SizeFigures['rebuilds'] = null;
  if (OPTIONS.rebuild && size === LARGEST) {
    rebuilds = [];
    for (const name of runner.names) {
      const r0 = nowMs();
      const r = await runner.rebuild(name);
      rebuilds.push({ name, events: r.events, ms: nowMs() - r0, same: r.before === r.after });
      console.log(`   rebuilt ${name} (${r.before === r.after ? 'same digest' : 'DIFFERENT digest'})`);
    }
  }
  await runner.stop();
  readDb.close();
  await store.close();
  return { load, project, rebuilds };
}

/** The built service on the DATA_DIR: every read route, the heavy phase, audit verify. */
async function measure(
  loader: ScaleLoader,
  dataDir: string,
  size: number,
  prepared: Prepared,
  notes: string[],
): Promise<SizeFigures> {
  const s0 = nowMs();
  const server = await ServerProcess.start({ root: ROOT, dataDir, adminKey: ADMIN_KEY });
  const startMs = nowMs() - s0;
  const startRssMb = server.rssMb();
  const client = new GetClient(server.url, ADMIN_KEY, OPTIONS.clients + 2);
  const sizeNotes: string[] = [];
  const { routes, heavy, found } = await discoverRoutes(
    client,
    {
      heavy: HEAVY_ACTOR,
      rare: loader.generator.picker.rare,
      crisis: MINOR_CRISIS,
      sources: loader.generator.sources,
      rareTerm: RARE_TERM,
    },
    sizeNotes,
  );
  const results: RouteResult[] = [];
  for (const route of routes) {
    const r = await measureRoute(server, client, ADMIN_KEY, route, OPTIONS);
    results.push(r);
    console.log(
      `   ${route.name}: p50 ${fmt(r.latency.p50, 2)} ms, p99 ${fmt(r.latency.p99, 2)} ms${r.errors ? `, ${r.errors} errors` : ''}`,
    );
  }
  const heavyResult =
    OPTIONS.heavySeconds > 0
      ? await heavyPhase(server, client, ADMIN_KEY, heavy, OPTIONS.clients, OPTIONS.heavySeconds)
      : null;
  let verify: SizeFigures['verify'] = null;
  if (OPTIONS.verify) {
    try {
      verify = await verifyRun(server, ADMIN_KEY);
    } catch (e) {
      sizeNotes.push(`audit verify could not be measured: ${(e as Error).message}`);
    }
  }
  const rss = { rssMb: server.rssMb(), peakRssMb: server.rssMb('VmHWM') };
  client.close();
  await server.stop();
  notes.push(...sizeNotes.map((n) => `${fmt(size)}: ${n}`));
  return {
    size,
    events: loader.total,
    ...prepared,
    files: {
      eventsDbMb: fileMb(join(dataDir, 'events.db')),
      readModelsDbMb: fileMb(join(dataDir, 'read-models.db')),
    },
    server: { startMs, startRssMb, ...rss },
    discovered: found,
    routes: results,
    heavy: heavyResult,
    verify,
  };
}

async function main(): Promise<void> {
  const work = workDir('chronology-scale-');
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  mkdirSync(join(work, 'baseline'));
  const dist = loadDist(ROOT);
  const notes: string[] = [];
  console.log(
    `bench:scale: ${cpus().length} cores, node ${process.version}, sizes ${SIZES.map((s) => fmt(s)).join(', ')}, ${OPTIONS.clients} clients, ${OPTIONS.requests} requests per route`,
  );
  console.log(`data in ${dataDir}; service ${join(ROOT, 'dist', 'main.js')}`);
  // The store's clock spreads recordedAt over the year at the largest size, so asOf instants mean something.
  const clock = new SpreadClock(Math.max(1, Math.floor((365 * 86_400_000) / LARGEST)));
  const loader = new ScaleLoader(dist, join(work, 'baseline'));
  const runs: SizeFigures[] = [];
  for (const size of SIZES) {
    console.log(
      `\n${fmt(size)} events: load (write side -> SqliteEventStore, raw baseline alongside), project`,
    );
    const prepared = await prepare(dist, loader, clock, dataDir, size);
    console.log(`${fmt(size)} events: the built service on that DATA_DIR, read routes`);
    const figures = await measure(loader, dataDir, size, prepared, notes);
    printSize(figures, OPTIONS.clients);
    runs.push(figures);
  }
  loader.close();
  let cold: ColdStart | null = null;
  if (OPTIONS.coldSeconds > 0) {
    console.log(`\n${fmt(LARGEST)} events: the built service on the same log with its read models deleted`);
    cold = await coldStart(ROOT, dataDir, ADMIN_KEY, OPTIONS.coldSeconds);
    printColdStart(cold);
  }
  const skew = skewReport(loader.generator);
  const comparison = printComparison(runs);
  for (const n of notes) console.log(`note: ${n}`);
  await writeResults(OPTIONS.out, {
    date: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version, platform: process.platform },
    options: { ...OPTIONS, out: undefined },
    skew,
    eventTypes: Object.fromEntries(loader.generator.counts),
    sizes: runs.map(sizeJson),
    comparison,
    coldStart: cold,
    notes,
  });
}

runBenchmark('bench:scale', OPTIONS.minutes, main);
