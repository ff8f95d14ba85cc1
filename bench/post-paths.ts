// POST latency of the service on SQLite and on EventStoreDB (the in-process test server, run in a
// process of its own), for one or more builds in the same run, so that their figures are ratios
// taken under the same load. Usage (after `npm run build` in each root):
//   tsc -p tsconfig.bench.json && BENCH_ROOTS=before=/tmp/a,after=/tmp/b node dist/bench/post-paths.js
// BENCH_POST_EVENTS (2000) events from BENCH_POST_CLIENTS (8) clients per run, after 200 unmeasured.
// BENCH_POST_STORES (sqlite,eventstoredb,kurrentdb-sessions): the stores; `eventstoredb` is a node
// without append sessions (EventStoreDB up to 24.10), `kurrentdb-sessions` one with (KurrentDB 25.1).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { appendRun } from './lib/append';
import { runBenchmark, stop, track, workDir } from './lib/children';
import { Client } from './lib/http';
import { REGISTRY, reportBody } from './lib/payloads';
import { ServerProcess } from './lib/server';
import { fmt, table } from './lib/stats';

const ROOT = resolve(__dirname, '..', '..');
const ADMIN_KEY = 'bench-admin-Xq7Lm2Vp9Rt4Wz8KfJ3c';
const EVENTS = Number(process.env.BENCH_POST_EVENTS || 2000);
const CLIENTS = Number(process.env.BENCH_POST_CLIENTS || 8);
const STORES = (process.env.BENCH_POST_STORES || 'sqlite,eventstoredb,kurrentdb-sessions').split(',');
const ROOTS = (process.env.BENCH_ROOTS || `this=${ROOT}`).split(',').map((pair) => {
  const [label, dir] = pair.split('=');
  return { label: label!, root: resolve(dir!) };
});

/** The test server compiled from this checkout into dist/test-server (the same node for every build). */
function testServerScript(): string {
  const out = join(ROOT, 'dist', 'test-server');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = [
    '--outDir',
    out,
    '--rootDir',
    ROOT,
    '--module',
    'commonjs',
    '--target',
    'es2022',
    '--strict',
  ];
  execFileSync(
    process.execPath,
    [tsc, ...flags, '--esModuleInterop', '--skipLibCheck', 'test/eventstoredb/serve.ts'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  return join(out, 'test', 'eventstoredb', 'serve.js');
}

async function startNode(
  script: string,
  appendSession: boolean,
): Promise<{ connectionString: string; close: () => Promise<void> }> {
  const env = { ...process.env, TEST_SERVER_APPEND_SESSION: appendSession ? '1' : '0' };
  const child = track(spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'], env }));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', () => reject(new Error('the test server exited')));
  });
  return { connectionString: `${line}&defaultDeadline=10000`, close: () => stop(child) };
}

/** A signing key for the EventStoreDB path, made with the build's own code when it requires one. */
async function signingKeyEnv(root: string): Promise<Record<string, string>> {
  const file = join(root, 'dist', 'audit', 'checkpoint', 'note-keys.js');
  if (!existsSync(file)) return {};
  const keys = (await import(file)) as {
    generateSigningKey?: (name: string) => unknown;
    formatSigningKey?: (key: unknown) => string;
  };
  if (!keys.generateSigningKey || !keys.formatSigningKey) return {};
  return { AUDIT_SIGNING_KEY: keys.formatSigningKey(keys.generateSigningKey('bench.example/chronology')) };
}

interface Row {
  readonly build: string;
  readonly store: string;
  readonly p50: number;
  readonly p99: number;
  readonly perSec: number;
  readonly load: number;
}

async function main(): Promise<void> {
  const work = workDir('chronology-post-paths-');
  const script = testServerScript();
  let seq = 0;
  const rows: Row[] = [];
  // Builds in order, then in reverse, the stores alternating: drift in the machine's
  // load falls on both sides.
  const plan = ROOTS.flatMap((r) => STORES.map((store) => ({ ...r, store })));
  for (const [i, run] of [...plan, ...[...plan].reverse()].entries()) {
    const node = run.store === 'sqlite' ? null : await startNode(script, run.store === 'kurrentdb-sessions');
    const env: Record<string, string> = node
      ? {
          EVENT_STORE: 'eventstoredb',
          EVENTSTORE_CONNECTION_STRING: node.connectionString,
          API_KEY_SECRET: 'bench-secret-4fQ9zL2xW7mR8pK3vN6tY1bH',
          ...(await signingKeyEnv(run.root)),
        }
      : {};
    const server = await ServerProcess.start({
      root: run.root,
      dataDir: join(work, `data-${i}`),
      adminKey: ADMIN_KEY,
      env,
    });
    try {
      const setup = new Client(server.url, ADMIN_KEY, 1);
      for (const e of REGISTRY) await setup.append(JSON.stringify(e));
      setup.close();
      const bodies = (n: number): string[] => Array.from({ length: n }, () => reportBody(seq++));
      await appendRun(server.url, ADMIN_KEY, CLIENTS, bodies(200));
      const load = loadavg()[0]!;
      const r = await appendRun(server.url, ADMIN_KEY, CLIENTS, bodies(EVENTS));
      const row = {
        build: run.label,
        store: run.store,
        p50: r.latency.p50,
        p99: r.latency.p99,
        perSec: r.eventsPerSec,
        load,
      };
      console.log(
        `${row.build} ${row.store}: median ${fmt(row.p50)} ms, p99 ${fmt(row.p99)} ms, ${fmt(row.perSec)}/s (load ${fmt(load, 1)})`,
      );
      rows.push(row);
    } finally {
      await server.stop();
      await node?.close();
    }
  }
  const cells = (r: Row): string[] => [
    r.build,
    r.store,
    fmt(r.p50),
    fmt(r.p99),
    fmt(r.perSec),
    fmt(r.load, 1),
  ];
  console.log(`\n${EVENTS} POSTs from ${CLIENTS} clients per run\n`);
  console.log(table(['build', 'store', 'median ms', 'p99 ms', 'events/s', 'load avg'], rows.map(cells)));
}

runBenchmark('post-paths', 60, main);
