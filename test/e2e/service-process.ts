import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ADMIN_KEY } from './harness';

const ROOT = resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/**
 * The service in a process of its own, run from the TypeScript sources (as jest runs the tests:
 * `node -r test/ts-hook.cjs src/main.ts`), for what only a separate process shows: kill -9,
 * two processes on one data dir.
 */
export class ServiceProcess {
  private readonly chunks: string[] = [];
  /** Resolves with the exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer): void => void this.chunks.push(chunk.toString());
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((ok) => child.once('exit', (code) => ok(code)));
  }

  /** Spawns the service on `dataDir` (in `cwd`, the checkout by default); does not wait for it (see ready()). */
  static async spawn(dataDir: string, env: Record<string, string> = {}, cwd = ROOT): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', join(__dirname, '..', 'ts-hook.cjs'), join(ROOT, 'src', 'main.ts')],
      {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          EVENT_STORE: 'sqlite',
          LOAD_SAMPLE: 'false',
          ADMIN_API_KEY: ADMIN_KEY,
          LOG_LEVEL: 'warn',
          RATE_LIMIT_PER_MINUTE: '0',
          AUTH_FAILURES_PER_MINUTE: '0',
          ...env,
        },
      },
    );
    return new ServiceProcess(child, `http://127.0.0.1:${port}`);
  }

  /** Spawns the service and waits until /health/ready answers 200. */
  static async start(dataDir: string, env: Record<string, string> = {}, cwd = ROOT): Promise<ServiceProcess> {
    const service = await ServiceProcess.spawn(dataDir, env, cwd);
    await service.ready();
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Everything the process printed so far. */
  get output(): string {
    return this.chunks.join('');
  }

  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `the service exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`the service was not ready in ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM; once the process is gone, its exit code, or the signal it ended on. */
  async terminate(): Promise<number | NodeJS.Signals | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
    return this.child.exitCode ?? this.child.signalCode;
  }

  /** kill -9, and wait until the process is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
