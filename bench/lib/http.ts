import http from 'node:http';
import { nowMs } from './stats';

export interface PostResult {
  readonly status: number;
  readonly text: string;
  /** nowMs() just before the request was written, and when the whole answer was in. */
  readonly sentAt: number;
  readonly doneAt: number;
}

/** A keep-alive HTTP client for POSTs with a bearer key (node:http: cheaper than fetch on the client side). */
export class Client {
  private readonly agent: http.Agent;
  private readonly target: URL;

  constructor(
    baseUrl: string,
    private readonly key: string,
    sockets: number,
    private readonly timeoutMs = 30_000,
  ) {
    this.target = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(path: string, body: string): Promise<PostResult> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          method: 'POST',
          host: this.target.hostname,
          port: this.target.port,
          path,
          headers: {
            authorization: `Bearer ${this.key}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sentAt, doneAt: nowMs() }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`POST ${path} timed out after ${this.timeoutMs} ms`)));
      req.on('error', reject);
      const sentAt = nowMs();
      req.end(body);
    });
  }

  /** POST and expect 200/201; returns the parsed answer with the timings. */
  async append(body: string): Promise<{ position: string; sentAt: number; doneAt: number }> {
    const r = await this.post('/v1/events', body);
    if (r.status !== 201 && r.status !== 200) {
      throw new Error(`POST /v1/events answered ${r.status}: ${r.text.slice(0, 500)}`);
    }
    const { position } = JSON.parse(r.text) as { position: string };
    return { position, sentAt: r.sentAt, doneAt: r.doneAt };
  }

  close(): void {
    this.agent.destroy();
  }
}

export async function getJson(url: string, timeoutMs = 5000): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}
