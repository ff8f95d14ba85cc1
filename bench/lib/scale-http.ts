import http from 'node:http';
import { nowMs, summarize, type Summary } from './stats';

/**
 * The scale benchmark's HTTP side: a keep-alive GET client (node:http: cheaper than fetch for the
 * bench process, which shares the machine with the server) and the /health probe.
 */

export interface GetResult {
  /** HTTP status; 0 when the request failed without an answer (reset, timeout). */
  readonly status: number;
  readonly ms: number;
  readonly text: string;
  /** The answer parsed as JSON, or undefined. */
  readonly body: any;
}

export class GetClient {
  private readonly agent: http.Agent;
  private readonly target: URL;

  constructor(
    baseUrl: string,
    private readonly key: string,
    sockets: number,
    private readonly timeoutMs = 120_000,
  ) {
    this.target = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** One GET, timed from `startedAt` (default: now) to the whole answer; never rejects. */
  get(path: string, startedAt = nowMs()): Promise<GetResult> {
    return new Promise((resolve) => {
      const done = (status: number, text: string): void => {
        const ms = nowMs() - startedAt;
        let body: any;
        try {
          body = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status, ms, text, body });
      };
      const req = http.request(
        {
          agent: this.agent,
          method: 'GET',
          host: this.target.hostname,
          port: this.target.port,
          path,
          headers: { authorization: `Bearer ${this.key}` },
          timeout: this.timeoutMs,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => done(res.statusCode ?? 0, text));
          res.on('error', (e) => done(0, `response failed: ${e.message}`));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out after ${this.timeoutMs} ms`)));
      req.on('error', (e) => done(0, `request failed: ${e.message}`));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Items in an answer: the first list among the routes' own (timeline, actor view, source, entry). */
export function itemsOf(body: any): number {
  if (body === null || typeof body !== 'object') return 0;
  for (const key of ['items', 'involvedIn', 'entriesCited', 'history']) {
    if (Array.isArray(body[key])) return body[key].length;
  }
  return 1;
}

export interface ProbeResult {
  readonly latency: Summary;
  readonly errors: number;
}

/**
 * GET /health every `intervalMs` on its own connections, whether or not the previous answer is in
 * (open loop, so a held event loop shows as the time each request waited, not as missing samples).
 */
export class HealthProbe {
  private readonly client: GetClient;
  private readonly latencies: number[] = [];
  private readonly pending = new Set<Promise<void>>();
  private errors = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(baseUrl: string, key: string, intervalMs = 50) {
    this.client = new GetClient(baseUrl, key, Infinity, 30_000);
    this.probe();
    this.timer = setInterval(() => this.probe(), intervalMs);
  }

  private probe(): void {
    const p = this.client.get('/health').then((r) => {
      if (r.status === 200) this.latencies.push(r.ms);
      else this.errors += 1;
      this.pending.delete(p);
    });
    this.pending.add(p);
  }

  async stop(): Promise<ProbeResult> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.pending]);
    this.client.close();
    return { latency: summarize(this.latencies), errors: this.errors };
  }
}
