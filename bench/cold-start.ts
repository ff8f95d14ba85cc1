// npm run bench:cold: a start on empty read models over an existing data dir (BENCH_COLD_DATA_DIR,
// e.g. a copy of a production one, or one bench:scale kept with BENCH_KEEP_DATA=1). Deletes that
// dir's read models, starts the built service on it and watches it catch up for BENCH_COLD_SECONDS
// (default 120): start to listening, /health latency, event-loop delay, catch-up rate beside a raw
// read + parse of the same log, the read-model WAL and memory. Writes BENCH_COLD_OUT if given.
import { resolve } from 'node:path';
import { runBenchmark } from './lib/children';
import { writeResults } from './lib/report';
import { coldStart, printColdStart } from './lib/scale-cold';

const ROOT = resolve(__dirname, '..', '..');
const dataDir = process.env.BENCH_COLD_DATA_DIR;
const seconds = Number(process.env.BENCH_COLD_SECONDS || 120);

async function main(): Promise<void> {
  if (!dataDir) throw new Error('BENCH_COLD_DATA_DIR must name a data dir (its read models are deleted)');
  const result = await coldStart(ROOT, dataDir, 'bench-admin-Xq7Lm2Vp9Rt4Wz8KfJ3c', seconds);
  printColdStart(result);
  if (process.env.BENCH_COLD_OUT)
    await writeResults(process.env.BENCH_COLD_OUT, { date: new Date().toISOString(), ...result });
}

runBenchmark('bench:cold', Math.ceil(seconds / 60) + 5, main);
