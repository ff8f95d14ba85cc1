import { connect, type Socket } from 'node:net';
import { ADMIN_KEY, TestApp } from './harness';

/**
 * What one client, slow or many, may hold: tested through the limits themselves (small values),
 * not by exhausting the machine. Each wait is for a condition, bounded generously.
 */

/** A client socket, with what the server sent and when it closed tracked from the start. */
function client(port: number): { socket: Socket; connected: Promise<void>; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let got = '';
  socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(got)));
  return { socket, connected, closed };
}

/** `promise`, or a rejection naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]);
}

describe('HTTP timeouts (real sockets)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '600' });
  });
  afterAll(() => t.close());
  const port = () => Number(new URL(t.url).port);

  it('closes a connection whose headers never finish (a slow-headers client)', async () => {
    const c = client(port());
    await c.connected;
    c.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const answer = await within(c.closed, 15_000, 'closing a slow-headers connection');
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('closes a request whose body never finishes, with 408', async () => {
    const c = client(port());
    await c.connected;
    c.socket.write(
      `POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"t',
    );
    const answer = await within(c.closed, 15_000, 'closing a slow-body request');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 408,
      code: 'request_timeout',
    });
  });

  it('answers headers too large and a URL it cannot decode with problem documents', async () => {
    const c = client(port());
    await c.connected;
    c.socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
    const answer = await within(c.closed, 15_000, 'answering oversized headers');
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'headers_too_large',
    });
    const bad = await t.get('/v1/entries/%FF');
    expect([bad.status, bad.headers.get('content-type'), bad.body.code]).toEqual([
      400,
      'application/problem+json; charset=utf-8',
      'bad_request',
    ]);
  });
});

describe('HTTP connection cap (real sockets)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ HTTP_MAX_CONNECTIONS: '3' });
  });
  afterAll(() => t.close());

  it('drops connections past the cap, keeps those it holds, and serves again once they close', async () => {
    const port = Number(new URL(t.url).port);
    const held = [client(port), client(port), client(port)];
    await Promise.all(held.map((c) => c.connected));
    const extra = client(port);
    expect(await within(extra.closed, 10_000, 'dropping the connection past the cap')).toBe('');
    expect(held.every((c) => !c.socket.destroyed)).toBe(true);
    for (const c of held) c.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = await t.get('/health').then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
  });
});
