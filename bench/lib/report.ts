import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import type { AppendResult } from './append';
import type { BaselineResult } from './sqlite-baseline';
import type { DeliveryResult } from './sse';
import { fmt, round, table, type Summary } from './stats';

/** The benchmark's targets, from ../shared/design/quality.md. */
export const TARGETS = { appendEventsPerSec: 5000, appendP99Ms: 25, deliveryP99Ms: 50 };

export type Append = AppendResult & { readonly serverCpuMsPerEvent: number };

const ms = (s: Summary): string[] => [fmt(s.p50, 2), fmt(s.p99, 2), fmt(s.max, 2)];
const summaryJson = (s: Summary): Record<string, number> => ({
  n: s.n,
  p50: round(s.p50, 3),
  p99: round(s.p99, 3),
  max: round(s.max, 3),
  mean: round(s.mean, 3),
});

/** Prints the tables and returns everything as one object for bench/results/latest.json. */
export function report(
  options: object,
  baselines: BaselineResult[],
  appends: Append[],
  single: DeliveryResult,
  many: DeliveryResult,
  idleRssMb: number,
): object {
  // Ratios against the mean of the two baseline runs (before and after the service's runs).
  const mean = (f: (b: BaselineResult) => number): number =>
    baselines.reduce((sum, b) => sum + f(b), 0) / baselines.length;
  const raw = mean((b) => b.perEventTx.eventsPerSec);
  const batched = mean((b) => b.batchedTx.eventsPerSec);
  const when = ['before', 'after'];
  console.log('\nAppend throughput (POST /v1/events, one event per request, synchronous=FULL)');
  console.log(
    table(
      [
        '',
        'events/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'vs raw 1 tx/event',
        'vs raw batched',
        'server CPU ms/event',
      ],
      [
        ...baselines.map((b, i) => [
          `raw SQLite, 1 tx/event (${when[i]})`,
          fmt(b.perEventTx.eventsPerSec),
          ...ms(b.perEventTx.latency),
          fmt(b.perEventTx.eventsPerSec / raw, 2),
          fmt(b.perEventTx.eventsPerSec / batched, 3),
          '-',
        ]),
        ...baselines.map((b, i) => [
          `raw SQLite, ${b.batchedTx.batch}/tx (${when[i]})`,
          fmt(b.batchedTx.eventsPerSec),
          '-',
          '-',
          '-',
          fmt(b.batchedTx.eventsPerSec / raw, 2),
          fmt(b.batchedTx.eventsPerSec / batched, 2),
          '-',
        ]),
        ...appends.map((a) => [
          `HTTP, ${a.concurrency} client${a.concurrency > 1 ? 's' : ''}`,
          fmt(a.eventsPerSec),
          ...ms(a.latency),
          fmt(a.eventsPerSec / raw, 2),
          fmt(a.eventsPerSec / batched, 3),
          fmt(a.serverCpuMsPerEvent, 2),
        ]),
      ],
    ),
  );
  console.log(
    `\nAppend -> SSE delivery (${many.events} events at ${many.ratePerSec}/s; POST sent -> message received, every (event, subscriber) pair)`,
  );
  const row = (name: string, s: Summary): string[] => [
    name,
    String(s.n),
    ...ms(s),
    fmt(s.p99 / single.latency.p99, 2),
  ];
  console.log(
    table(
      ['', 'pairs', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs 1 sub'],
      [
        row('1 subscriber (timeline)', single.latency),
        row(`${many.subscribers} subscribers, all`, many.latency),
        ...Object.entries(many.byFeed).map(([path, s]) => row(`  of which ${path}`, s)),
      ],
    ),
  );
  console.log(
    `Server CPU while posting: ${fmt(single.serverCpuPercent, 0)}% of a core with 1 subscriber, ${fmt(many.serverCpuPercent, 0)}% with ${many.subscribers} (reader processes: ${many.readerCpuPercent.map((c) => `${fmt(c, 0)}%`).join(', ')})`,
  );
  console.log(
    `POST round trip while ${many.subscribers} subscribed: p50 ${fmt(many.appendLatency.p50, 2)} ms, p99 ${fmt(many.appendLatency.p99, 2)} ms (1 subscriber: p99 ${fmt(single.appendLatency.p99, 2)} ms)`,
  );
  const loop = (d: DeliveryResult): string =>
    d.serverEventLoopDelayMs
      ? `p99 ${fmt(d.serverEventLoopDelayMs.p99, 1)} ms, max ${fmt(d.serverEventLoopDelayMs.max, 1)} ms`
      : 'n/a';
  console.log(
    `Server event-loop delay while posting: ${loop(single)} with 1 subscriber; ${loop(many)} with ${many.subscribers}`,
  );
  const rss = many.serverRssMb;
  console.log(
    `Server RSS: ${fmt(rss.before)} MB before the ${many.subscribers} subscribers, ${fmt(rss.connected)} MB once connected (${fmt(((rss.connected - rss.before) * 1024) / many.subscribers)} KB each, GC noise included), ${fmt(rss.afterEvents)} MB after the events; peak ${fmt(rss.peak)} MB; connecting took ${fmt(many.connectSeconds, 2)} s`,
  );
  if (many.missing || single.missing) console.log(`MISSING deliveries: ${single.missing + many.missing}`);
  const c32 = appends.find((a) => a.concurrency === 32);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  console.log('\nTargets (quality.md; noisy shared machine)');
  if (c32) {
    console.log(
      `  append, 32 clients >= ${TARGETS.appendEventsPerSec}/s, p99 <= ${TARGETS.appendP99Ms} ms: ${verdict(c32.eventsPerSec >= TARGETS.appendEventsPerSec && c32.latency.p99 <= TARGETS.appendP99Ms)}`,
    );
  }
  console.log(
    `  delivery p99 <= ${TARGETS.deliveryP99Ms} ms with ${many.subscribers} subscribers: ${verdict(many.latency.p99 <= TARGETS.deliveryP99Ms)}`,
  );

  const results = {
    date: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version, platform: process.platform },
    options,
    targets: TARGETS,
    sqliteBaseline: baselines.map((b, i) => ({
      when: when[i],
      events: b.events,
      perEventTx: {
        eventsPerSec: round(b.perEventTx.eventsPerSec),
        latencyMs: summaryJson(b.perEventTx.latency),
      },
      batchedTx: { eventsPerSec: round(b.batchedTx.eventsPerSec), batch: b.batchedTx.batch },
    })),
    sqliteBaselineMean: { perEventTxEventsPerSec: round(raw), batchedTxEventsPerSec: round(batched) },
    append: appends.map((a) => ({
      concurrency: a.concurrency,
      events: a.events,
      eventsPerSec: round(a.eventsPerSec),
      latencyMs: summaryJson(a.latency),
      ratioToRawPerEventTx: round(a.eventsPerSec / raw, 3),
      ratioToRawBatched: round(a.eventsPerSec / batched, 4),
      serverCpuMsPerEvent: round(a.serverCpuMsPerEvent, 3),
    })),
    delivery: [single, many].map((d) => ({
      subscribers: d.subscribers,
      events: d.events,
      ratePerSec: d.ratePerSec,
      latencyMs: summaryJson(d.latency),
      byFeed: Object.fromEntries(Object.entries(d.byFeed).map(([k, s]) => [k, summaryJson(s)])),
      missing: d.missing,
      appendLatencyMs: summaryJson(d.appendLatency),
      connectSeconds: round(d.connectSeconds),
      serverRssMb: Object.fromEntries(Object.entries(d.serverRssMb).map(([k, v]) => [k, round(v, 1)])),
      serverCpuPercent: round(d.serverCpuPercent, 1),
      serverEventLoopDelayMs: d.serverEventLoopDelayMs
        ? Object.fromEntries(Object.entries(d.serverEventLoopDelayMs).map(([k, v]) => [k, round(v, 2)]))
        : null,
      readerCpuPercent: d.readerCpuPercent.map((c) => round(c, 1)),
    })),
    serverRssMb: {
      afterAppendRuns: round(idleRssMb, 1),
      beforeSubscribers: round(many.serverRssMb.before, 1),
      withSubscribers: round(many.serverRssMb.connected, 1),
      peak: round(many.serverRssMb.peak, 1),
    },
  };
  return results;
}

/** bench/results/latest.json, formatted as the repository's prettier settings want it. */
export async function writeResults(file: string, results: object): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  let text = `${JSON.stringify(results, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    text = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // unformatted, still valid JSON
  }
  writeFileSync(file, text);
  console.log(`\nwrote ${file}`);
}
