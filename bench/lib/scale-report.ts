import type { LoadResult } from './scale-data';
import { GATES, routeGate, verdict } from './scale-gates';
import type { HeavyResult, LoopDelay, RouteResult, VerifyResult } from './scale-load';
import type { Discovered } from './scale-routes';
import { fmt, round, table, type Summary } from './stats';

/** The scale benchmark's figures at one size, printed as a table and kept for scale.json. */
export interface SizeFigures {
  /** The size asked for; the log holds `events` (a little more: the last append is whole). */
  readonly size: number;
  readonly events: number;
  readonly load: LoadResult;
  /** Catch-up of every projection over the events this size added. */
  readonly project: { events: number; ms: number; benchRssMb: number };
  readonly rebuilds: Array<{ name: string; events: number; ms: number; same: boolean }> | null;
  readonly files: { eventsDbMb: number; readModelsDbMb: number };
  readonly server: { startMs: number; startRssMb: number; rssMb: number; peakRssMb: number };
  readonly discovered: Discovered;
  readonly routes: RouteResult[];
  readonly heavy: HeavyResult | null;
  readonly verify: VerifyResult | null;
}

const perSec = (events: number, ms: number): number => (ms > 0 ? (events / ms) * 1000 : NaN);
const ms2 = (v: number): string => fmt(v, 2);
const delayText = (d: LoopDelay): string =>
  d ? `p50 ${ms2(d.p50)}, p99 ${ms2(d.p99)}, max ${ms2(d.max)} ms` : 'n/a';

export function summaryJson(s: Summary): Record<string, number> {
  return { n: s.n, p50: round(s.p50, 3), p99: round(s.p99, 3), max: round(s.max, 3), mean: round(s.mean, 3) };
}

const delayJson = (d: LoopDelay): object | null =>
  d ? { p50: round(d.p50, 3), p99: round(d.p99, 3), max: round(d.max, 3) } : null;

/** Prints one size's figures: the write and projection side, then the route table and the heavy phase. */
export function printSize(f: SizeFigures, clients: number): void {
  const l = f.load;
  console.log(`\n=== ${fmt(f.events)} events (size ${fmt(f.size)}) ===`);
  console.log(
    `load +${fmt(l.events)} events: store ${fmt(perSec(l.events, l.storeMs))} events/s, raw better-sqlite3 ${fmt(perSec(l.events, l.rawMs))} events/s, write-side planning ${fmt(perSec(l.events, l.generateMs))} events/s`,
  );
  console.log(
    `projections caught up over +${fmt(f.project.events)} events at ${fmt(perSec(f.project.events, f.project.ms))} events/s; events.db ${fmt(f.files.eventsDbMb)} MB, read-models.db ${fmt(f.files.readModelsDbMb)} MB`,
  );
  for (const r of f.rebuilds ?? []) {
    console.log(
      `rebuild ${r.name}: ${fmt(perSec(r.events, r.ms))} events/s, digest ${r.same ? 'same' : 'DIFFERENT'}`,
    );
  }
  console.log(
    `server ready in ${fmt(f.server.startMs)} ms at ${fmt(f.server.startRssMb)} MB; RSS after the reads ${fmt(f.server.rssMb)} MB, peak ${fmt(f.server.peakRssMb)} MB`,
  );
  console.log(
    `\nRead routes, ${clients} concurrent clients (closed loop), ms; /health probed every 50 ms meanwhile; loop = server event-loop delay p99 from /metrics`,
  );
  const rows = f.routes.map((r) => [
    r.name,
    String(r.latency.n),
    fmt(r.perSec, 0),
    ms2(r.latency.p50),
    ms2(r.latency.p99),
    ms2(r.latency.max),
    fmt(r.meanItems, 1),
    String(r.errors),
    ms2(r.health.p99),
    r.loopDelayMs ? ms2(r.loopDelayMs.p99) : '-',
    routeGate(r).text,
  ]);
  console.log(
    table(
      ['route', 'n', 'req/s', 'p50', 'p99', 'max', 'items', 'errors', 'health p99', 'loop p99', 'gate'],
      rows,
    ),
  );
  for (const r of f.routes)
    if (r.firstError) console.log(`  ${r.name}: ${r.errors} errors, first: ${r.firstError}`);
  if (f.heavy) printHeavy(f.heavy);
  if (f.verify) {
    console.log(
      `audit verify: ${fmt(f.verify.treeSize)} events in ${fmt(f.verify.ms)} ms (${fmt(f.verify.eventsPerSec)} events/s)`,
    );
  }
}

function printHeavy(h: HeavyResult): void {
  console.log(
    `\nHeavy phase: ${h.clients} clients cycling over the heaviest routes for ${fmt(h.seconds, 1)} s`,
  );
  console.log(
    table(
      ['route', 'n', 'p50', 'p99', 'max', 'errors'],
      h.routes.map((r) => [
        r.name,
        String(r.latency.n),
        ms2(r.latency.p50),
        ms2(r.latency.p99),
        ms2(r.latency.max),
        String(r.errors),
      ]),
    ),
  );
  if (h.firstError) console.log(`  first error: ${h.firstError}`);
  const healthMet = h.health.n > 0 && h.health.p99 <= GATES.healthP99Ms && h.healthErrors === 0;
  const loopMet = h.loopDelayMs !== null && h.loopDelayMs.p99 <= GATES.loopDelayP99Ms;
  console.log(
    `/health meanwhile: ${h.health.n} answers, p50 ${ms2(h.health.p50)}, p99 ${ms2(h.health.p99)}, max ${ms2(h.health.max)} ms${h.healthErrors ? `, ${h.healthErrors} failed` : ''} (gate p99 <= ${GATES.healthP99Ms}: ${verdict(healthMet)})`,
  );
  console.log(
    `server event-loop delay meanwhile (/metrics, monitorEventLoopDelay at 10 ms resolution): ${delayText(h.loopDelayMs)} (gate p99 <= ${GATES.loopDelayP99Ms}: ${verdict(loopMet)})`,
  );
}

/** One size's figures for scale.json. */
export function sizeJson(f: SizeFigures): object {
  const l = f.load;
  return {
    size: f.size,
    events: f.events,
    load: {
      ...l,
      storeEventsPerSec: round(perSec(l.events, l.storeMs)),
      rawEventsPerSec: round(perSec(l.events, l.rawMs)),
    },
    project: { ...f.project, eventsPerSec: round(perSec(f.project.events, f.project.ms)) },
    rebuilds: f.rebuilds?.map((r) => ({ ...r, eventsPerSec: round(perSec(r.events, r.ms)) })) ?? null,
    files: f.files,
    server: f.server,
    discovered: f.discovered,
    routes: f.routes.map((r) => ({
      name: r.name,
      kind: r.kind,
      example: r.example,
      latencyMs: summaryJson(r.latency),
      meanItems: round(r.meanItems, 1),
      perSec: round(r.perSec, 1),
      errors: r.errors,
      firstError: r.firstError,
      healthMs: summaryJson(r.health),
      healthErrors: r.healthErrors,
      loopDelayMs: delayJson(r.loopDelayMs),
      gate: routeGate(r),
    })),
    heavy: f.heavy
      ? {
          ...f.heavy,
          routes: f.heavy.routes.map((r) => ({ ...r, latency: summaryJson(r.latency) })),
          health: summaryJson(f.heavy.health),
          loopDelayMs: delayJson(f.heavy.loopDelayMs),
        }
      : null,
    verify: f.verify,
  };
}
