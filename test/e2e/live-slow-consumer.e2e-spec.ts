import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Metrics } from '../../src/health/metrics';
import { TestApp, metricValue } from './harness';

const EVENTS = 100_000;
const BOUND = 256 * 1024;

/**
 * Leaves what the process keeps: a full collection, twice with a pause between (V8 frees the
 * memory behind collected Buffers on a background thread, so `external` can lag one collection).
 */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  await new Promise((r) => setTimeout(r, 200));
  gc();
}

/** Opens an SSE request on a raw socket and then never reads from it. */
function stalledReader(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `GET /v1/events/live HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`,
      );
      socket.once('data', () => {
        socket.pause(); // headers arrived; from now on nothing is read
        resolve(socket);
      });
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

describe('a slow consumer', () => {
  jest.setTimeout(180_000);

  it('is cut off while 100k events are appended; memory stays bounded; others receive everything', async () => {
    const t = await TestApp.start({
      LIVE_MAX_BUFFER_BYTES: String(BOUND),
      LIVE_STALL_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'warn',
    });
    try {
      // Read as /metrics shows them, from the app's registry (no HTTP request per sample).
      const registry = t.app.get(Metrics).registry;
      const gauge = async (name: string): Promise<number> =>
        (await registry.getSingleMetric(name)!.get()).values[0]?.value ?? NaN;
      const subscribers = (): Promise<number> => gauge('chronology_live_subscribers');
      const slow = await stalledReader(t.url);
      const fast = follower(`${t.url}/v1/events/live`, EVENTS);
      await fast.ready;
      await waitUntil(async () => (await subscribers()) === 2);

      let maxBuffered = 0;
      let slowCutAt = -1;
      await collectGarbage();
      const kept = (): number => process.memoryUsage().heapUsed + process.memoryUsage().external;
      const kept0 = kept();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          maxBuffered = Math.max(maxBuffered, await gauge('chronology_live_unsent_bytes_max'));
          if (slowCutAt < 0 && (await subscribers()) < 2) slowCutAt = Date.now();
          await new Promise((r) => setTimeout(r, 20));
        }
      })();

      const positions: string[] = [];
      for (let i = 0; i < EVENTS; i += 1000) {
        const results = await Promise.all(
          Array.from({ length: 1000 }, (_, j) =>
            t.store.append(
              `entry-${randomUUID()}`,
              [
                {
                  id: randomUUID(),
                  type: 'LoadTested',
                  schemaVersion: 1,
                  data: { n: i + j, note: 'x'.repeat(200) },
                  metadata: { principal: 'test', correlationId: 'slow-consumer', causationId: null },
                },
              ],
              { expectedRevision: 'no_stream' },
            ),
          ),
        );
        positions.push(...results.map((r) => r.position.commit.toString()));
      }

      const received = await fast.ids;
      sampling = false;
      await sampler;

      expect(slowCutAt).toBeGreaterThanOrEqual(0); // the stalled reader was dropped while events flowed
      await waitUntil(async () => (await subscribers()) === 0).catch(async (e: Error) => {
        throw new Error(`${e.message}: ${await subscribers()} subscribers left, slow cut at ${slowCutAt}`);
      }); // the follower left after its last message
      // Each subscriber's unsent output stayed within the bound plus at most one batch of messages.
      expect(maxBuffered).toBeLessThan(BOUND + 2 * 1024 * 1024);
      // 100k events of ~0.4 KB (~40 MB) went to the slow reader's socket; after a full collection,
      // neither the heap nor buffers outside it (socket queues) hold them.
      await collectGarbage();
      expect(kept() - kept0).toBeLessThan(32 * 1024 * 1024);
      expect(received).toEqual(positions);
      // Operators see the cut-off, and the fan-out rounds that wrote to the follower.
      const metrics = (await t.get('/metrics')).text;
      expect(metricValue(metrics, 'chronology_live_slow_consumers_cut_off_total')).toBe(1);
      expect(metricValue(metrics, 'chronology_live_fanout_seconds_count')).toBeGreaterThan(0);
      slow.destroy();
    } finally {
      await t.close();
    }
  });
});

/** A reader in another process (as real clients are), so it does not share the server's event loop. */
function follower(url: string, count: number): { ready: Promise<void>; ids: Promise<string[]> } {
  const child = spawn(process.execPath, [join(__dirname, 'sse-follower.mjs'), url, String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const ids = new Promise<string[]>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready\n')) markReady();
    });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('ids '));
      if (code !== 0 || !line) reject(new Error(`follower exited ${code}`));
      else resolve(line.slice(4).split(','));
    });
  });
  return { ready, ids };
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
