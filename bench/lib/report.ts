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
  sweep: DeliveryResult[],
  floor: DeliveryResult[],
  idleRssMb: number,
): object {
  // Ratios against the mean of the two baseline runs (before and after the service's runs).
  const mean = (f: (b: BaselineResult) => number): number =>
    baselines.reduce((sum, b) => sum + f(b), 0) / baselines.length;
  const raw = mean((b) => b.perEventTx.eventsPerSec);
  const batched = mean((b) => b.batchedTx.eventsPerSec);
  const when = ['before', 'after'];
  console.log(
    '\nAppend throughput (POST /v1/events, one event per request, each acknowledged once its WAL is fdatasync-ed)',
  );
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
  const many = sweep[sweep.length - 1]!;
  const n = many.subscribers;
  console.log(
    `\nAppend -> SSE delivery (POST sent -> message received, every (event, subscriber) pair; ${n} subscribers: half ${Object.keys(many.byFeed).join(', half ')})`,
  );
  console.log(
    `The floor: a bare node:http server in the same run, same readers and pacing, that only fsyncs each turn's POSTs and writes them to every subscriber (bench/lib/sse-floor.ts).`,
  );
  console.log(
    table(
      [
        '',
        'events/s',
        'pairs',
        'p50 ms',
        'p99 ms',
        'max ms',
        'p99 vs floor',
        'server CPU %',
        'readers CPU %',
      ],
      [
        [
          '1 subscriber',
          String(single.ratePerSec),
          String(single.latency.n),
          ...ms(single.latency),
          '-',
          fmt(single.serverCpuPercent, 0),
          fmt(single.readerCpuPercent[0] ?? 0, 0),
        ],
        ...sweep.flatMap((d, i) => {
          const f = floor[i];
          const cpu = (x: DeliveryResult): string =>
            fmt(
              x.readerCpuPercent.reduce((a, c) => a + c, 0),
              0,
            );
          const rows = [
            [
              `${n} subscribers`,
              String(d.ratePerSec),
              String(d.latency.n),
              ...ms(d.latency),
              f ? fmt(d.latency.p99 / f.latency.p99, 2) : '-',
              fmt(d.serverCpuPercent, 0),
              cpu(d),
            ],
          ];
          if (f)
            rows.push([
              `  the floor`,
              String(f.ratePerSec),
              String(f.latency.n),
              ...ms(f.latency),
              '1.00',
              fmt(f.serverCpuPercent, 0),
              cpu(f),
            ]);
          return rows;
        }),
      ],
    ),
  );
  console.log(
    `By feed at ${many.ratePerSec}/s: ${Object.entries(many.byFeed)
      .map(([path, s]) => `${path} p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms`)
      .join('; ')}`,
  );
  console.log(
    `POST round trip while ${n} subscribed: ${sweep.map((d) => `${d.ratePerSec}/s p50 ${fmt(d.appendLatency.p50, 2)} ms, p99 ${fmt(d.appendLatency.p99, 2)} ms`).join('; ')} (1 subscriber: p99 ${fmt(single.appendLatency.p99, 2)} ms)`,
  );
  const loop = (d: DeliveryResult): string =>
    d.serverEventLoopDelayMs
      ? `p99 ${fmt(d.serverEventLoopDelayMs.p99, 1)} ms, max ${fmt(d.serverEventLoopDelayMs.max, 1)} ms`
      : 'n/a';
  console.log(
    `Server event-loop delay while posting: ${loop(single)} with 1 subscriber; ${sweep.map((d) => `${loop(d)} at ${d.ratePerSec}/s`).join('; ')} with ${n}`,
  );
  console.log(
    `Live fan-out rounds (one write to each live subscriber of all it has not been sent): ${sweep.map((d) => (d.fanOut ? `${d.fanOut.rounds} for ${d.events} events at ${d.ratePerSec}/s (mean ${fmt(d.fanOut.meanMs, 1)} ms)` : `n/a at ${d.ratePerSec}/s`)).join('; ')}`,
  );
  const rss = many.serverRssMb;
  console.log(
    `Server RSS: ${fmt(rss.before)} MB before the ${n} subscribers, ${fmt(rss.connected)} MB once connected (${fmt(((rss.connected - rss.before) * 1024) / n)} KB each, GC noise included), ${fmt(rss.afterEvents)} MB after the events; peak ${fmt(rss.peak)} MB; connecting took ${fmt(many.connectSeconds, 2)} s`,
  );
  const missing = [single, ...sweep, ...floor].reduce((sum, d) => sum + d.missing, 0);
  if (missing) console.log(`MISSING deliveries: ${missing}`);
  const top = appends.reduce<Append | undefined>(
    (m, a) => (!m || a.concurrency > m.concurrency ? a : m),
    undefined,
  );
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  console.log('\nTargets (quality.md; noisy shared machine)');
  if (top) {
    console.log(
      `  append, ${top.concurrency} clients >= ${TARGETS.appendEventsPerSec}/s, p99 <= ${TARGETS.appendP99Ms} ms: ${verdict(top.eventsPerSec >= TARGETS.appendEventsPerSec && top.latency.p99 <= TARGETS.appendP99Ms)}`,
    );
  }
  sweep.forEach((d, i) => {
    const f = floor[i];
    console.log(
      `  delivery p99 <= ${TARGETS.deliveryP99Ms} ms with ${n} subscribers at ${d.ratePerSec} events/s: ${verdict(d.latency.p99 <= TARGETS.deliveryP99Ms)} (${fmt(d.latency.p99, 1)} ms${f ? `; the floor: ${fmt(f.latency.p99, 1)} ms, ${verdict(f.latency.p99 <= TARGETS.deliveryP99Ms)}` : ''})`,
    );
  });

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
    delivery: [single, ...sweep].map(deliveryJson),
    deliveryFloor: floor.map(deliveryJson),
    serverRssMb: {
      afterAppendRuns: round(idleRssMb, 1),
      beforeSubscribers: round(many.serverRssMb.before, 1),
      withSubscribers: round(many.serverRssMb.connected, 1),
      peak: round(many.serverRssMb.peak, 1),
    },
  };
  return results;
}

function deliveryJson(d: DeliveryResult): object {
  return {
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
    fanOut: d.fanOut ? { rounds: d.fanOut.rounds, meanMs: round(d.fanOut.meanMs, 2) } : null,
    readerCpuPercent: d.readerCpuPercent.map((c) => round(c, 1)),
  };
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
