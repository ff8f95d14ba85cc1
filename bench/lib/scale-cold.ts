import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getJson } from './http';
import { ServerProcess } from './server';
import { fmt, nowMs, summarize, type Summary } from './stats';

/**
 * A start on empty read models (issue 14's figures): the built service on a data dir whose
 * read models were deleted, watched while it catches up. How long until the port answers, how
 * /health answers meanwhile, the event-loop delay, the catch-up rate the service reports beside
 * a raw read + JSON.parse of the same log in the same run, the read-model WAL's largest size and
 * the server's memory.
 */
export interface ColdStart {
  readonly events: number;
  /** From spawning the process to the first answer from /health. */
  readonly listeningMs: number;
  readonly healthMs: Summary;
  readonly healthFailures: number;
  readonly eventLoopDelayMs: { p50: number; p99: number; max: number } | null;
  /** Events applied per second over the watch (from /health), and the raw read + parse rate. */
  readonly catchUpPerSecond: number;
  readonly rawReadParsePerSecond: number;
  readonly caughtUp: boolean;
  readonly watchedSeconds: number;
  readonly maxWalMb: number;
  readonly rssMb: number;
  /** Anonymous memory (RssAnon: heap, buffers; not the mmapped database pages). */
  readonly rssAnonMb: number;
}

/** Reads every event's data and metadata and parses both: the floor a catch-up is compared to. */
export function rawReadParse(eventsDb: string, limit: number): number {
  const db = new Database(eventsDb, { readonly: true });
  try {
    const t0 = nowMs();
    let n = 0;
    const rows = db.prepare('SELECT data, metadata FROM events ORDER BY position LIMIT ?').raw(true);
    for (const row of rows.iterate(limit) as IterableIterator<[string, string]>) {
      JSON.parse(row[0]);
      JSON.parse(row[1]);
      n++;
    }
    return (n / (nowMs() - t0)) * 1000;
  } finally {
    db.close();
  }
}

export async function coldStart(
  root: string,
  dataDir: string,
  adminKey: string,
  watchSeconds: number,
): Promise<ColdStart> {
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(join(dataDir, `read-models.db${suffix}`), { force: true });
  const eventsDb = join(dataDir, 'events.db');
  const t0 = nowMs();
  const server = await ServerProcess.start({
    root,
    dataDir,
    adminKey,
    until: 'listening',
    env: { LOG_LEVEL: 'log' },
  });
  const listeningMs = nowMs() - t0;
  await server.metrics(adminKey); // resets the loop-delay histogram: what follows is the catch-up
  const latencies: number[] = [];
  let failures = 0;
  let maxWal = 0;
  let rssMb = 0;
  let rssAnonMb = 0;
  let first: { at: number; events: number } | null = null;
  let last: { at: number; events: number } | null = null;
  let caughtUp = false;
  let total = 0;
  const w0 = nowMs();
  while (nowMs() - w0 < watchSeconds * 1000) {
    const h0 = nowMs();
    try {
      const { body } = (await getJson(`${server.url}/health`, 10_000)) as { body: any };
      latencies.push(nowMs() - h0);
      const p = body.projections;
      total = p.events + (p.lagEvents ?? 0);
      const point = { at: nowMs(), events: p.events as number };
      first ??= point;
      last = point;
      if (p.caughtUp) {
        caughtUp = true;
        break;
      }
    } catch {
      failures++;
    }
    const wal = join(dataDir, 'read-models.db-wal');
    if (existsSync(wal)) maxWal = Math.max(maxWal, statSync(wal).size / 1024 / 1024);
    rssMb = Math.max(rssMb, server.rssMb());
    rssAnonMb = Math.max(rssAnonMb, server.rssMb('RssAnon'));
    await new Promise((r) => setTimeout(r, 100));
  }
  const watchedSeconds = (nowMs() - w0) / 1000;
  const metrics = await server.metrics(adminKey);
  await server.stop();
  const catchUpPerSecond =
    first && last && last.at > first.at ? ((last.events - first.events) / (last.at - first.at)) * 1000 : NaN;
  return {
    events: total,
    listeningMs,
    healthMs: summarize(latencies),
    healthFailures: failures,
    eventLoopDelayMs: metrics.eventLoopDelayMs,
    catchUpPerSecond,
    rawReadParsePerSecond: rawReadParse(eventsDb, Math.max(total, 1)),
    caughtUp,
    watchedSeconds,
    maxWalMb: maxWal,
    rssMb,
    rssAnonMb,
  };
}

export function printColdStart(c: ColdStart): void {
  const ratio = c.catchUpPerSecond / c.rawReadParsePerSecond;
  console.log(
    [
      `cold start on empty read models, ${fmt(c.events)} events (watched ${fmt(c.watchedSeconds)} s${c.caughtUp ? ', caught up' : ''}):`,
      `   start to listening ${fmt(c.listeningMs)} ms (gate <= 2,000)`,
      `   /health while catching up: p50 ${fmt(c.healthMs.p50, 2)} ms, p99 ${fmt(c.healthMs.p99, 2)} ms, max ${fmt(c.healthMs.max, 2)} ms, ${c.healthFailures} failures`,
      `   event-loop delay: p99 ${fmt(c.eventLoopDelayMs?.p99 ?? NaN, 2)} ms, max ${fmt(c.eventLoopDelayMs?.max ?? NaN, 2)} ms (gate p99 <= 20)`,
      `   catch-up ${fmt(c.catchUpPerSecond)} events/s; raw read + JSON.parse of data and metadata ${fmt(c.rawReadParsePerSecond)} events/s; ratio ${ratio.toFixed(4)}x (gate >= 0.1x)`,
      `   read-model WAL at most ${fmt(c.maxWalMb)} MB (gate <= 512); server RSS ${fmt(c.rssMb)} MB, anonymous ${fmt(c.rssAnonMb)} MB (gate <= 512)`,
    ].join('\n'),
  );
}
