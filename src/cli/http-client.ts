import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { CliError } from './exit-codes';

/**
 * The CLI's HTTP client, on node:http rather than fetch. On Node 20, fetch (undici 6) reads a large
 * streamed body in quadratic time: when its consumer is slower than the socket, the parser pauses,
 * puts the rest of its buffer back on the socket, and on resume reads the socket whole again
 * (socket.read() concatenates everything buffered), so a 45 MB export is copied thousands of
 * times (70-160 s for 50k events; Node 24's undici does not). node:http hands each chunk over once.
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** The body as it arrives; read it, or call `discard()`. */
  readonly body: IncomingMessage;
}

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export class Http {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {
    try {
      const u = new URL(baseUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    } catch {
      throw new CliError('usage', `--url must be an http(s) URL (got "${baseUrl}")`);
    }
  }

  /** Sends a request; network failures become CliError('network'). Any status is returned. */
  send(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    const headers: Record<string, string> = { ...options.headers };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, agent: https ? agents.https : agents.http }, (res) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
      );
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(
          new CliError('network', `${method} ${url.origin}${url.pathname}: ${e.code ?? e.message}`, {
            cause: e.code ?? e.message,
          }),
        ),
      );
      req.end(options.body);
    });
  }

  /** A GET that must answer 2xx: the response, its body unread. */
  async open(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const res = await this.send('GET', path, { headers });
    if (res.status >= 300) throw await serverError('GET', path, res);
    return res;
  }

  /** A GET of JSON that must answer 2xx. */
  async getJson<T>(path: string): Promise<T> {
    const raw = await text(await this.open(path, { accept: 'application/json' }));
    try {
      return JSON.parse(raw) as T;
    } catch {
      throw new CliError('server', `GET ${path.split('?')[0]}: not JSON: ${raw.slice(0, 200)}`);
    }
  }

  /** A POST of JSON; the status and the parsed answer (a 5xx or a non-JSON answer throws). */
  async postJson<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
    const payload = JSON.stringify(body);
    let res = await this.send('POST', path, { body: payload });
    // Rate-limited, or read models catching up: wait as told (at most 30 s), up to 5 times.
    for (let attempt = 0; attempt < 5 && (res.status === 429 || res.status === 503); attempt++) {
      const wait = Math.min(Number(res.headers['retry-after']) || 1, 30);
      await text(res);
      await new Promise((r) => setTimeout(r, wait * 1000));
      res = await this.send('POST', path, { body: payload });
    }
    if (res.status >= 500) throw await serverError('POST', path, res);
    const raw = await text(res);
    try {
      return { status: res.status, body: JSON.parse(raw) as T };
    } catch {
      throw new CliError('server', `POST ${path}: ${res.status} ${raw.slice(0, 300)}`, {
        status: res.status,
      });
    }
  }
}

export async function text(res: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
  } catch (e) {
    throw bodyError(e);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A body cut off mid-way (the connection reset or closed early) is a network error (exit 3). */
export function bodyError(e: unknown): unknown {
  const err = e as NodeJS.ErrnoException;
  const cut = ['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ETIMEDOUT'];
  if (err && (cut.includes(err.code ?? '') || err.message === 'aborted')) {
    return new CliError('network', `the answer was cut off: ${err.code ?? err.message}`);
  }
  return e;
}

/** A non-2xx answer as an error naming the route, the status and the problem document's detail. */
export async function serverError(method: string, path: string, res: HttpResponse): Promise<CliError> {
  const raw = await text(res);
  let detail = raw.slice(0, 500);
  let problem: unknown;
  try {
    problem = JSON.parse(raw);
    const p = problem as { detail?: string; title?: string };
    detail = p.detail ?? p.title ?? detail;
  } catch {
    // not JSON: the text is the detail
  }
  const route = path.split('?')[0];
  return new CliError('server', `${method} ${route}: ${res.status} ${detail}`, {
    status: res.status,
    ...(problem ? { problem } : {}),
  });
}
