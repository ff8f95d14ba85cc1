import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { onFailure, stop, track } from './children';
import { getJson } from './http';

export interface ServerOptions {
  readonly root: string;
  readonly dataDir: string;
  readonly adminKey: string;
  readonly env?: Record<string, string>;
  /** Node flags for the server only (e.g. --cpu-prof). */
  readonly nodeArgs?: string[];
  /** Another script to run instead of the service's dist/main.js (the delivery floor). */
  readonly script?: string;
  /** What start() waits for: /health/ready (default) or any answer from /health (listening). */
  readonly until?: 'ready' | 'listening';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServerMetrics {
  readonly eventLoopDelayMs: { p50: number; p99: number; max: number } | null;
  /** Live fan-out rounds so far, and their total duration (the service's running totals). */
  readonly fanOut: { rounds: number; seconds: number } | null;
}

/** Servers started and not yet stopped: their output is shown if the benchmark fails. */
const running = new Set<ServerProcess>();
onFailure(() => [...running].map((s) => `server output (tail):\n${s.output()}`).join('\n') || null);

/** The built service (dist/main.js) in its own process, spoken to over HTTP. */
export class ServerProcess {
  private log: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer): void => {
      this.log.push(chunk.toString());
      if (this.log.length > 200) this.log = this.log.slice(-100);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const main = options.script ?? join(options.root, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    const port = await freePort();
    const child = track(
      spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
        cwd: options.root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: options.dataDir,
          EVENT_STORE: 'sqlite',
          LOAD_SAMPLE: 'false',
          ADMIN_API_KEY: options.adminKey,
          LOG_LEVEL: 'warn',
          // The benches drive thousands of requests and connections from loopback on purpose.
          RATE_LIMIT_PER_MINUTE: '0',
          AUTH_FAILURES_PER_MINUTE: '0',
          HTTP_MAX_CONNECTIONS: '100000',
          // Generated logs are written straight into the events file, with no checkpoint history.
          AUDIT_ACCEPT_MISSING_HISTORY: 'true',
          ...options.env,
        },
      }),
    );
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    running.add(server);
    await server.waitReady(30_000, options.until ?? 'ready');
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resident set size of the server process (its peak, VmHWM; its anonymous part, RssAnon), from /proc (Linux). */
  rssMb(field: 'VmRSS' | 'VmHWM' | 'RssAnon' = 'VmRSS'): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1];
    if (!kb) throw new Error(`no ${field} in /proc status`);
    return Number(kb) / 1024;
  }

  /** CPU time (user + system) the server has used so far, in ms (from /proc; clock ticks of 10 ms). */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  /**
   * From the service's /metrics: its event-loop delay (ms) since the previous call (prom-client
   * resets the histogram at each scrape) and its live fan-out rounds so far.
   * Null for what the server does not report (the floor reports nothing).
   */
  async metrics(key: string): Promise<ServerMetrics> {
    try {
      const res = await fetch(`${this.url}/metrics`, {
        headers: { authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      const get = (name: string): number => {
        const m = new RegExp(`^chronology_${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
        return m ? Number(m[1]) : NaN;
      };
      const lag = (p: string): number => get(`nodejs_eventloop_lag_${p}_seconds`) * 1000;
      const delay = { p50: lag('p50'), p99: lag('p99'), max: lag('max') };
      const fanOut = { rounds: get('live_fanout_seconds_count'), seconds: get('live_fanout_seconds_sum') };
      return {
        eventLoopDelayMs: Number.isFinite(delay.max) ? delay : null,
        fanOut: Number.isFinite(fanOut.rounds) ? fanOut : null,
      };
    } catch {
      return { eventLoopDelayMs: null, fanOut: null };
    }
  }

  output(): string {
    return this.log.join('').slice(-4000);
  }

  async stop(): Promise<void> {
    await stop(this.child, 10_000);
    running.delete(this);
  }

  private async waitReady(timeoutMs: number, until: 'ready' | 'listening'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`server exited with ${this.child.exitCode}:\n${this.output()}`);
      }
      try {
        if (until === 'listening') {
          await getJson(`${this.url}/health`, 1000);
          return;
        }
        if ((await getJson(`${this.url}/health/ready`, 1000)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, until === 'listening' ? 20 : 100));
    }
    throw new Error(`server not ready after ${timeoutMs} ms:\n${this.output()}`);
  }
}
