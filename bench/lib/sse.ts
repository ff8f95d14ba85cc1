import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stop, track } from './children';
import { Client } from './http';
import type { ServerMetrics, ServerProcess } from './server';
import { nowMs, summarize, type Summary } from './stats';

export interface CollectRequest {
  readonly type: 'collect';
  /** Log position (the SSE id) -> nowMs() when its POST was sent. */
  readonly sent: Record<string, number>;
  readonly waitMs: number;
}

export type ReaderReply =
  | { type: 'ready'; connections: number }
  | { type: 'result'; latencies: number[]; missing: number; problems: string[]; cpuPercent: number }
  | { type: 'failed'; error: string };

export interface FeedSpec {
  readonly path: string;
  readonly subscribers: number;
  /** Reader processes sharing those subscribers. */
  readonly processes: number;
}

export interface DeliveryResult {
  readonly subscribers: number;
  readonly events: number;
  readonly ratePerSec: number;
  /** Over every (event, subscriber) pair: POST sent -> message with the event's position received. */
  readonly latency: Summary;
  readonly byFeed: Record<string, Summary>;
  readonly missing: number;
  /** The POSTs' own round trips while the subscribers were connected. */
  readonly appendLatency: Summary;
  readonly connectSeconds: number;
  /** Server RSS just before the subscribers connected, once connected, after this run's events; peak (VmHWM). */
  readonly serverRssMb: { before: number; connected: number; afterEvents: number; peak: number };
  /** Server CPU while the events were posted and delivered (100 = one core busy). */
  readonly serverCpuPercent: number;
  /** The server's event-loop delay while the events were posted (from its /metrics). */
  readonly serverEventLoopDelayMs: ServerMetrics['eventLoopDelayMs'];
  /**
   * The service's live fan-out rounds during the run (each writes once to every live subscriber
   * what it has not been sent) and their mean wall time; null for the floor.
   */
  readonly fanOut: { rounds: number; meanMs: number } | null;
  /** CPU of each reader process during the run (100 = one core busy). */
  readonly readerCpuPercent: number[];
}

function waitFor<T extends ReaderReply['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<ReaderReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (m: ReaderReply): void => {
      if (m.type === type) {
        done();
        resolve(m as Extract<ReaderReply, { type: T }>);
      } else if (m.type === 'failed') {
        done();
        reject(new Error(`SSE reader failed: ${m.error}`));
      }
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`SSE reader exited (${code}) before '${type}'`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`SSE reader: no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Subscribers held by reader processes for as long as the caller needs them: connected once, then
 * several paced runs (a warm-up, then each rate) go to the same connections, as they would to
 * subscribers that follow a crisis for hours. Each run measures, for each event and each
 * subscriber, the time from the POST being sent to the message carrying the event's position arriving.
 */
export class Subscribers {
  private constructor(
    private readonly server: ServerProcess,
    private readonly key: string,
    private readonly feeds: FeedSpec[],
    private readonly readers: Array<{ child: ChildProcess; path: string }>,
    private readonly connected: { seconds: number; rssBefore: number; rssConnected: number },
  ) {}

  static async connect(server: ServerProcess, key: string, feeds: FeedSpec[]): Promise<Subscribers> {
    const readers: Array<{ child: ChildProcess; path: string }> = [];
    const rssBefore = server.rssMb();
    const t0 = nowMs();
    // Every reader is tracked: if one fails to connect, runBenchmark kills them all.
    for (const feed of feeds) {
      for (let p = 0; p < feed.processes; p++) {
        const share =
          Math.floor(feed.subscribers / feed.processes) + (p < feed.subscribers % feed.processes ? 1 : 0);
        const child = track(
          fork(join(__dirname, 'sse-reader.js'), [`${server.url}${feed.path}`, String(share), key], {
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          }),
        );
        readers.push({ child, path: feed.path });
      }
    }
    await Promise.all(readers.map((r) => waitFor(r.child, 'ready', 120_000)));
    const seconds = (nowMs() - t0) / 1000;
    await sleep(500);
    return new Subscribers(server, key, feeds, readers, { seconds, rssBefore, rssConnected: server.rssMb() });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.readers.map((r) => {
        if (r.child.connected) r.child.send({ type: 'exit' });
        return stop(r.child, 3000);
      }),
    );
  }

  /** POSTs `bodies` paced at `ratePerSec` and measures their delivery to every subscriber. */
  async run(bodies: string[], ratePerSec: number): Promise<DeliveryResult> {
    const { server, key } = this;
    const client = new Client(server.url, key, 8);
    const sent: Record<string, number> = {};
    const appendLatencies: number[] = [];
    const posts: Array<Promise<void>> = [];
    const metricsBefore = await server.metrics(key); // also resets the server's histogram
    // The pacing starts once that answer is in. Scheduled from before it, the first few events went
    // out at once to catch up, and queued behind each other's fan-outs (runs began with 90-130 ms).
    const start = nowMs();
    const cpuBefore = server.cpuMs();
    const failed: { error?: Error } = {};
    try {
      for (let i = 0; i < bodies.length && !failed.error; i++) {
        await sleep(start + (i * 1000) / ratePerSec - nowMs());
        posts.push(
          client.append(bodies[i]!).then(
            (r) => {
              sent[r.position] = r.sentAt;
              appendLatencies.push(r.doneAt - r.sentAt);
            },
            (e: unknown) => {
              failed.error ??= e as Error; // stops the pacing loop; reported below
            },
          ),
        );
      }
      await Promise.all(posts);
      if (failed.error) throw failed.error;
    } finally {
      client.close();
    }
    const serverCpuPercent = ((server.cpuMs() - cpuBefore) / (nowMs() - start)) * 100;
    const metricsAfter = await server.metrics(key);
    const [after, before] = [metricsAfter.fanOut, metricsBefore.fanOut];
    const rounds = after && before ? after.rounds - before.rounds : 0;
    const fanOut =
      after && before
        ? { rounds, meanMs: rounds > 0 ? ((after.seconds - before.seconds) / rounds) * 1000 : 0 }
        : null;
    const serverRssMb = {
      before: this.connected.rssBefore,
      connected: this.connected.rssConnected,
      afterEvents: server.rssMb(),
      peak: server.rssMb('VmHWM'),
    };

    const results = await Promise.all(
      this.readers.map(async (r) => {
        const reply = waitFor(r.child, 'result', 60_000);
        r.child.send({ type: 'collect', sent, waitMs: 15_000 } satisfies CollectRequest);
        return { path: r.path, ...(await reply) };
      }),
    );
    const all: number[] = [];
    const perFeed = new Map<string, number[]>();
    let missing = 0;
    for (const r of results) {
      for (const v of r.latencies) all.push(v);
      const list = perFeed.get(r.path) ?? [];
      for (const v of r.latencies) list.push(v);
      perFeed.set(r.path, list);
      missing += r.missing;
      for (const p of r.problems) console.error(`  reader on ${r.path}: ${p}`);
    }
    return {
      subscribers: this.feeds.reduce((n, f) => n + f.subscribers, 0),
      events: bodies.length,
      ratePerSec,
      latency: summarize(all),
      byFeed: Object.fromEntries([...perFeed].map(([path, list]) => [path, summarize(list)])),
      missing,
      appendLatency: summarize(appendLatencies),
      connectSeconds: this.connected.seconds,
      serverRssMb,
      serverCpuPercent,
      serverEventLoopDelayMs: metricsAfter.eventLoopDelayMs,
      fanOut,
      readerCpuPercent: results.map((r) => r.cpuPercent),
    };
  }
}
