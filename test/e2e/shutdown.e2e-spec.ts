import { connect, type Socket } from 'node:net';
import { TestApp } from './harness';
import { SseReader } from './sse-client';

const opened = (url: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });

describe('shutdown', () => {
  it('stops promptly with a live subscriber and a connection that never sent a request', async () => {
    const t = await TestApp.start();
    const spare = await opened(t.url); // what browsers and HTTP clients open ahead of time
    const spareClosed = new Promise<void>((resolve) => spare.once('close', () => resolve()));
    spare.on('error', () => undefined);
    const feed = await SseReader.open(`${t.url}/v1/events/live`);
    await feed.waitFor(() => feed.retry !== null);
    // Node's server.close() would wait for the spare connection until headersTimeout (60 s),
    // far past this test's timeout.
    await t.close();
    await spareClosed;
    await feed.waitFor(() => feed.ended);
    expect(feed.ended).toBe(true);
  }, 15_000);
});
