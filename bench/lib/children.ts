import type { ChildProcess } from 'node:child_process';

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

/** Runs a benchmark's main: exit 0 when it finishes, 1 (children killed) on failure or past `minutes`. */
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
      console.error(`${name} failed: ${(e as Error).stack ?? String(e)}`);
      killAll();
      process.exit(1);
    });
}
