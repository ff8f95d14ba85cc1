import type { LoadResult } from './scale-data';
import type { AsOfRead, TimelineResult, VerifyResult } from './scale-http';
import { fmt, round, table } from './stats';

/** The scale targets, from ../shared/design/quality.md (stated for 1 M events, 2 cores). */
export const SCALE_TARGETS = {
  bulkImportEventsPerSec: 100_000,
  rebuildEventsPerSec: 200_000,
  timelineP99Ms: 10,
  asOfMs: 2000,
  rssMb: 512,
  verifyEventsPerSec: 200_000,
};

export interface ScaleFigures {
  readonly options: object;
  readonly events: number;
  readonly appends: number;
  readonly eventTypes: Record<string, number>;
  readonly files: { eventsDbMb: number; readModelsDbMb: number };
  readonly load: LoadResult;
  readonly projectMs: number;
  readonly projectRssMb: number;
  readonly rebuilds: Array<{ name: string; events: number; ms: number; same: boolean }>;
  readonly server: { startMs: number; startRssMb: number; rssMb: number; peakRssMb: number };
  readonly timeline: TimelineResult;
  readonly asOf: AsOfRead[];
  readonly verify: VerifyResult | null;
  readonly notes: string[];
}

const perSec = (events: number, ms: number): number => (events / ms) * 1000;

/** Prints the table (each figure beside its target) and returns everything for bench/results/scale.json. */
export function scaleReport(f: ScaleFigures): object {
  const rows: string[][] = [];
  const checks: Array<{ figure: string; value: number; unit: string; target: string; met: boolean | null }> =
    [];
  const add = (figure: string, value: number, unit: string, target: string, met: boolean | null): void => {
    rows.push([figure, `${fmt(value)} ${unit}`, target, met === null ? '-' : met ? 'met' : 'MISSED']);
    checks.push({ figure, value: round(value, 2), unit, target, met });
  };
  const T = SCALE_TARGETS;
  const store = perSec(f.load.events, f.load.storeMs);
  const raw = perSec(f.load.events, f.load.rawMs);
  add(
    'bulk load, SqliteEventStore.append (group commit)',
    store,
    'events/s',
    '>= 100,000',
    store >= T.bulkImportEventsPerSec,
  );
  add('bulk load, raw better-sqlite3 1,000/tx (baseline)', raw, 'events/s', '-', null);
  add('bulk load, store / raw', store / raw, 'x', '-', null);
  const project = perSec(f.events, f.projectMs);
  add(
    'project all from scratch (one pass)',
    project,
    'events/s',
    '>= 200,000',
    project >= T.rebuildEventsPerSec,
  );
  for (const r of f.rebuilds) {
    add(`rebuild ${r.name}`, perSec(r.events, r.ms), 'events/s', '-', null);
  }
  const rebuildMs = f.rebuilds.reduce((s, r) => s + r.ms, 0);
  const rebuildAll = perSec(f.events, rebuildMs);
  add(
    'rebuild all, one after another',
    rebuildAll,
    'events/s',
    '>= 200,000',
    rebuildAll >= T.rebuildEventsPerSec,
  );
  const same = f.rebuilds.every((r) => r.same);
  rows.push([
    'rebuild digests before = after',
    same ? 'all equal' : 'DIFFERENT',
    'equal',
    same ? 'met' : 'MISSED',
  ]);
  checks.push({
    figure: 'rebuild digests equal',
    value: same ? 1 : 0,
    unit: 'bool',
    target: 'equal',
    met: same,
  });
  add('bench process RSS after projecting', f.projectRssMb, 'MB', '-', null);
  add(
    `timeline page of 50, filtered, p50 (${f.timeline.requests} req)`,
    f.timeline.latency.p50,
    'ms',
    '-',
    null,
  );
  add(
    `timeline page of 50, filtered, p99 (${f.timeline.requests} req)`,
    f.timeline.latency.p99,
    'ms',
    '<= 10',
    f.timeline.latency.p99 <= T.timelineP99Ms,
  );
  if (f.asOf.length > 0) {
    const worstPos = Math.max(...f.asOf.map((a) => a.atPositionMs));
    const worstAt = Math.max(...f.asOf.map((a) => a.asOfMs));
    add(`as-of atPosition, slowest of ${f.asOf.length}`, worstPos, 'ms', '<= 2,000', worstPos <= T.asOfMs);
    add(`as-of asOf=<instant>, slowest of ${f.asOf.length}`, worstAt, 'ms', '<= 2,000', worstAt <= T.asOfMs);
  } else {
    rows.push(['as-of reads', 'not measured (no positions)', '<= 2,000 ms', '-']);
  }
  if (f.verify) {
    add(
      `audit verify (${fmt(f.verify.treeSize)} events)`,
      f.verify.eventsPerSec,
      'events/s',
      '>= 200,000',
      f.verify.eventsPerSec >= T.verifyEventsPerSec,
    );
  } else {
    rows.push(['audit verify', 'not measured (see notes)', '>= 200,000 events/s', '-']);
  }
  add('server RSS at the end', f.server.rssMb, 'MB', '<= 512', f.server.rssMb <= T.rssMb);
  add('server peak RSS (VmHWM)', f.server.peakRssMb, 'MB', '<= 512', f.server.peakRssMb <= T.rssMb);

  console.log(
    `\nScale: ${fmt(f.events)} events (${fmt(f.appends)} appends); targets are stated for 1,000,000 events`,
  );
  console.log(table(['figure', 'measured', 'target', ''], rows));
  console.log('\nas-of reads (timeline page of 50)');
  console.log(
    table(
      ['position', 'recordedAt', 'atPosition ms', 'asOf ms', 'items'],
      f.asOf.map((a) => [
        a.position,
        a.recordedAt,
        fmt(a.atPositionMs, 2),
        fmt(a.asOfMs, 2),
        String(a.items),
      ]),
    ),
  );
  console.log(
    `\nevents.db ${fmt(f.files.eventsDbMb)} MB, read-models.db ${fmt(f.files.readModelsDbMb)} MB; ` +
      `write-side planning ${fmt(perSec(f.load.events, f.load.generateMs))} events/s (not in the bulk-load figure); ` +
      `server ready in ${fmt(f.server.startMs)} ms at ${fmt(f.server.startRssMb)} MB`,
  );
  console.log(`timeline example: ${f.timeline.example} (mean ${fmt(f.timeline.meanItems)} items per page)`);
  for (const n of f.notes) console.log(`note: ${n}`);
  return {
    date: new Date().toISOString(),
    ...f,
    load: { ...f.load, storeEventsPerSec: round(store), rawEventsPerSec: round(raw) },
    projectEventsPerSec: round(project),
    rebuildAllEventsPerSec: round(rebuildAll),
    checks,
  };
}
