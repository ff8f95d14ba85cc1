// npm run bench:scale: the service at scale. N realistic events (default 200,000;
// BENCH_SCALE_EVENTS=1000000 for the full figure) are produced by the service's own write side and
// bulk-appended to a SqliteEventStore in a temporary DATA_DIR; the app's projections are built from
// scratch and rebuilt; then the built service (dist/main.js) is started on that DATA_DIR and measured
// over real HTTP (filtered timeline pages, as-of reads, audit verify, resident memory).
import { mkdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { runBenchmark, workDir } from './lib/children';
import { writeResults } from './lib/report';
import { bulkLoad } from './lib/scale-data';
import { SpreadClock } from './lib/scale-generator';
import { YEAR } from './lib/scale-registry';
import { loadDist } from './lib/scale-dist';
import { asOfRun, timelineRun, verifyRun } from './lib/scale-http';
import { scaleReport, type ScaleFigures } from './lib/scale-report';
import { ServerProcess } from './lib/server';
import { fmt, nowMs } from './lib/stats';

const ROOT = resolve(__dirname, '..', '..');
const ADMIN_KEY = 'bench-admin-Xq7Lm2Vp9Rt4Wz8KfJ3c';
const num = (name: string, fallback: number): number => Number(process.env[name] || fallback);
const OPTIONS = {
  events: num('BENCH_SCALE_EVENTS', 200_000),
  timelineRequests: num('BENCH_SCALE_TIMELINE_REQUESTS', 200),
  asOfPoints: num('BENCH_SCALE_ASOF_POINTS', 10),
};
const rssMb = (): number => process.memoryUsage().rss / 1024 / 1024;
const fileMb = (f: string): number => statSync(f).size / 1024 / 1024;

async function main(): Promise<void> {
  const work = workDir('chronology-scale-');
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  mkdirSync(join(work, 'baseline'));
  const dist = loadDist(ROOT);
  const notes: string[] = [];
  console.log(`bench:scale: ${cpus().length} cores, node ${process.version}, ${fmt(OPTIONS.events)} events`);
  console.log(`data in ${dataDir}; service ${join(ROOT, 'dist', 'main.js')}`);

  // 1. Bulk load. The store's clock spreads recordedAt over the year, so asOf instants mean something.
  console.log('1/4 bulk load (write side -> SqliteEventStore, raw better-sqlite3 baseline alongside)');
  const clock = new SpreadClock(Math.max(1, Math.floor((365 * 86_400_000) / OPTIONS.events)));
  const store = new dist.SqliteEventStore({ file: join(dataDir, 'events.db'), clock });
  let lastLog = 0;
  const load = await bulkLoad(dist, store, join(work, 'baseline'), OPTIONS.events, (done) => {
    if (done - lastLog >= 100_000 || done >= OPTIONS.events) {
      lastLog = done;
      console.log(`   ${fmt(done)} events`);
    }
  });
  const head = (await store.headPosition())!;
  console.log(
    `   store ${fmt((load.events / load.storeMs) * 1000)} events/s, raw ${fmt((load.events / load.rawMs) * 1000)} events/s, events.db ${fmt(fileMb(join(dataDir, 'events.db')))} MB`,
  );

  // 2. Project everything from scratch with the app's projections.
  console.log('2/4 projections from scratch, then a rebuild of each');
  const readDb = dist.openSqlite(join(dataDir, 'read-models.db'), { synchronous: 'NORMAL' });
  const runner = new dist.ProjectionRunner(store, readDb, dist.projections);
  const p0 = nowMs();
  runner.start();
  const caughtUp = await runner.waitFor(head, 30 * 60_000);
  const projectMs = nowMs() - p0;
  if (!caughtUp) throw new Error('projections did not catch up within 30 minutes');
  const projectRssMb = rssMb();
  console.log(
    `   ${fmt((load.events / projectMs) * 1000)} events/s, bench process RSS ${fmt(projectRssMb)} MB`,
  );

  // 3. Rebuild each projection (shadow copy, then swap) and compare digests.
  const rebuilds: ScaleFigures['rebuilds'] = [];
  for (const name of runner.names) {
    const r0 = nowMs();
    const r = await runner.rebuild(name);
    const ms = nowMs() - r0;
    rebuilds.push({ name, events: r.events, ms, same: r.before === r.after });
    console.log(
      `   ${name}: ${fmt((r.events / ms) * 1000)} events/s, digest ${r.before === r.after ? 'same' : 'DIFFERENT'}`,
    );
  }
  await runner.stop();
  readDb.close();
  // Instants of `asOfPoints` positions spread over the log, for the as-of reads.
  const points: Array<{ position: string; recordedAt: string }> = [];
  for (let k = 1; k <= OPTIONS.asOfPoints; k++) {
    const commit = (head.commit * BigInt(k)) / BigInt(OPTIONS.asOfPoints);
    const [e] = await store.readAll({ fromPosition: { commit, prepare: commit }, maxCount: 1 });
    if (e) points.push({ position: e.position.commit.toString(), recordedAt: e.metadata.recordedAt });
  }
  await store.close();

  // 4. The real service on the prepared DATA_DIR, over HTTP.
  console.log('3/4 the built service on that DATA_DIR');
  const s0 = nowMs();
  const server = await ServerProcess.start({ root: ROOT, dataDir, adminKey: ADMIN_KEY });
  const startMs = nowMs() - s0;
  const startRssMb = server.rssMb();
  console.log(`   ready in ${fmt(startMs)} ms, RSS ${fmt(startRssMb)} MB`);
  console.log('4/4 timeline pages, as-of reads, audit verify');
  const timeline = await timelineRun(server, ADMIN_KEY, load.actors, YEAR, OPTIONS.timelineRequests);
  console.log(`   timeline p50 ${fmt(timeline.latency.p50, 2)} ms, p99 ${fmt(timeline.latency.p99, 2)} ms`);
  const asOf = await asOfRun(server, ADMIN_KEY, points);
  let verify: Awaited<ReturnType<typeof verifyRun>> | null = null;
  try {
    verify = await verifyRun(server, ADMIN_KEY);
    console.log(`   verify ${fmt(verify.ms)} ms for ${fmt(verify.treeSize)} events`);
  } catch (e) {
    notes.push(`audit verify could not be measured: ${(e as Error).message}`);
  }
  const serverRssMb = server.rssMb();
  const serverPeakMb = server.rssMb('VmHWM');
  await server.stop();

  const figures: ScaleFigures = {
    options: OPTIONS,
    events: load.events,
    appends: load.appends,
    eventTypes: load.counts,
    files: {
      eventsDbMb: fileMb(join(dataDir, 'events.db')),
      readModelsDbMb: fileMb(join(dataDir, 'read-models.db')),
    },
    load,
    projectMs,
    projectRssMb,
    rebuilds,
    server: { startMs, startRssMb, rssMb: serverRssMb, peakRssMb: serverPeakMb },
    timeline,
    asOf,
    verify,
    notes,
  };
  await writeResults(join(ROOT, 'bench', 'results', 'scale.json'), scaleReport(figures));
}

runBenchmark('bench:scale', 60, main);
