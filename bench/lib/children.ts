import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every child process the benchmark starts, killed on any way out (normal exit, error, Ctrl-C). */
const children = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killAll(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  children.clear();
}

/** Stops one child: SIGTERM, then SIGKILL after `graceMs`. */
export function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * A temporary directory for a benchmark's data, removed when the process exits, however it exits
 * (kept with BENCH_KEEP_DATA=1, to profile the service on it afterwards).
 */
export function workDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.env.BENCH_KEEP_DATA === '1') console.log(`data kept in ${dir}`);
  else process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const failureReports: Array<() => string | null> = [];

/** Something to print when a benchmark fails (e.g. the output of a server still running). */
export function onFailure(report: () => string | null): void {
  failureReports.push(report);
}

/**
 * Runs a benchmark's main: exit 0 when it finishes, 1 on failure or past `minutes`, with what the
 * failure reports say printed first and every child killed.
 */
export function runBenchmark(name: string, minutes: number, main: () => Promise<void>): void {
  const deadline = setTimeout(() => {
    console.error(`${name}: gave up after ${minutes} minutes`);
    killAll();
    process.exit(1);
  }, minutes * 60_000);
  main()
    .then(() => {
      clearTimeout(deadline);
      process.exit(0);
    })
    .catch((e: unknown) => {
      for (const text of failureReports.map((report) => report())) if (text) console.error(text);
      console.error(`${name} failed: ${(e as Error).stack ?? String(e)}`);
      killAll();
      process.exit(1);
    });
}
