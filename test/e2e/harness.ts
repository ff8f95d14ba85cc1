import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config';
import { EVENT_STORE, formatPosition, type EventStore } from '../../src/event-store';
import { ProjectionRunner } from '../../src/projections/projection-runner';

export const ADMIN_KEY = 'test-admin-Vq8rX2mKp7LzN4wT9bYe';

/** A metric's value in Prometheus text (summed over its label sets); NaN when it is absent. */
export function metricValue(metrics: string, name: string): number {
  const values = metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .map((l) => Number(l.split(' ').pop()));
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0);
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes; says whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

export interface HttpResult<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is (for malformed bodies). */
  readonly raw?: string;
  readonly key?: string | null;
  readonly headers?: Record<string, string>;
}

/** A running service on a temporary data dir, spoken to over real HTTP. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}, dataDir?: string, port = 0): Promise<TestApp> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'chronology-e2e-'));
    const fullEnv = {
      DATA_DIR: dir,
      LOAD_SAMPLE: 'false',
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'error',
      READ_WAIT_TIMEOUT_MS: '3000',
      // Specs send many requests from one address: limits are off unless a spec sets them.
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_FAILURES_PER_MINUTE: '0',
      ...env,
    };
    const config: AppConfig = loadConfig(fullEnv);
    const app = await createApp(config);
    // As main.ts does for a short log; a spec about catching up uses a ServiceProcess instead.
    const store = app.get<EventStore>(EVENT_STORE);
    if ((await store.health()).up) await app.get(ProjectionRunner).whenCaughtUp(30_000);
    await app.listen({ port, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    return new TestApp(app, `http://127.0.0.1:${address.port}`, dir, fullEnv);
  }

  /** Stops this instance and starts a new one on the same data dir (and, if asked, the same port). */
  async restart(env: Record<string, string> = {}, options: { samePort?: boolean } = {}): Promise<TestApp> {
    await this.app.close();
    const port = options.samePort ? Number(new URL(this.url).port) : 0;
    return TestApp.start({ ...this.env, ...env }, this.dataDir, port);
  }

  async close(options: { keepData?: boolean } = {}): Promise<void> {
    await this.app.close();
    if (!options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  get store(): EventStore {
    return this.app.get<EventStore>(EVENT_STORE);
  }

  /** The log's last position, for "a rejected request never changes the log". */
  async head(): Promise<string | null> {
    const p = await this.store.headPosition();
    return p ? formatPosition(p) : null;
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? ADMIN_KEY : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    return this.request<T>('GET', path, options);
  }

  post<T = any>(path: string, body: unknown, options: RequestOptions = {}): Promise<HttpResult<T>> {
    return this.request<T>('POST', path, { ...options, body });
  }

  /** POST /v1/events and expect success; returns the result body. */
  async append(
    type: string,
    data: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<any> {
    const res = await this.post('/v1/events', { type, data, ...extra });
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`POST ${type} answered ${res.status}: ${res.text}`);
    }
    return res.body;
  }
}
