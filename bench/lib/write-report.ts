import type { Append } from './report';
import type { BaselineResult } from './sqlite-baseline';
import type { BulkResult } from './bulk';
import { fmt, round, table } from './stats';

export type Bulk = BulkResult & { readonly serverCpuMsPerEvent: number };

/** The write path's gates (issue "a lean write path and a bulk path"): gate, then stretch. */
const GATES = {
  append64PerSec: [3000, 5000],
  append64CpuMs: [0.3, 0.15],
  append1VsRaw: [0.5, 0.75],
  bulkVsRaw1000: [0.5, 0.8],
  append64P99Ms: [50, 25],
} as const;

/**
 * The write path beside raw better-sqlite3 of the same run (one row per commit, 64 and 1,000 rows
 * per commit; WAL, synchronous=FULL, the same payloads), with the gates' verdicts.
 */
export function writeReport(baselines: BaselineResult[], appends: Append[], bulk: Bulk | null): object {
  const mean = (f: (b: BaselineResult) => number): number =>
    baselines.reduce((sum, b) => sum + f(b), 0) / baselines.length;
  const raw1 = mean((b) => b.perEventTx.eventsPerSec);
  const rawBatch = (n: number): number =>
    mean((b) => b.perBatch.find((p) => p.batch === n)?.eventsPerSec ?? NaN);
  const raw64 = rawBatch(64);
  const raw1000 = rawBatch(1000);
  const one = appends.find((a) => a.concurrency === 1);
  const c64 = appends.find((a) => a.concurrency === 64);
  console.log('\nWrite path against raw SQLite of the same run (mean of the runs before and after)');
  console.log(
    table(
      [
        '',
        'events/s',
        'p99 ms',
        'server CPU ms/event',
        'vs raw 1/commit',
        'vs raw 64/commit',
        'vs raw 1000/commit',
      ],
      [
        ['raw 1 row per commit', fmt(raw1), '-', '-', '1.00', fmt(raw1 / raw64, 3), fmt(raw1 / raw1000, 3)],
        [
          'raw 64 rows per commit',
          fmt(raw64),
          '-',
          '-',
          fmt(raw64 / raw1, 2),
          '1.00',
          fmt(raw64 / raw1000, 3),
        ],
        [
          'raw 1000 rows per commit',
          fmt(raw1000),
          '-',
          '-',
          fmt(raw1000 / raw1, 2),
          fmt(raw1000 / raw64, 2),
          '1.00',
        ],
        ...appends.map((a) => [
          `HTTP append, ${a.concurrency} client${a.concurrency > 1 ? 's' : ''}`,
          fmt(a.eventsPerSec),
          fmt(a.latency.p99, 1),
          fmt(a.serverCpuMsPerEvent, 3),
          fmt(a.eventsPerSec / raw1, 3),
          fmt(a.eventsPerSec / raw64, 3),
          fmt(a.eventsPerSec / raw1000, 3),
        ]),
        ...(bulk
          ? [
              [
                `bulk, ${bulk.perRequest} per request`,
                fmt(bulk.eventsPerSec),
                '-',
                fmt(bulk.serverCpuMsPerEvent, 3),
                fmt(bulk.eventsPerSec / raw1, 2),
                fmt(bulk.eventsPerSec / raw64, 3),
                fmt(bulk.eventsPerSec / raw1000, 3),
              ],
            ]
          : []),
      ],
    ),
  );
  const verdict = (
    value: number | undefined,
    [gate, stretch]: readonly [number, number],
    atLeast: boolean,
  ): string => {
    if (value === undefined || Number.isNaN(value)) return 'not measured';
    const ok = (limit: number): boolean => (atLeast ? value >= limit : value <= limit);
    return ok(stretch) ? 'met (stretch too)' : ok(gate) ? 'met' : 'MISSED';
  };
  const gates = [
    ['HTTP append, 64 clients, events/s', c64?.eventsPerSec, GATES.append64PerSec, true],
    ['HTTP append, 64 clients, server CPU ms/event', c64?.serverCpuMsPerEvent, GATES.append64CpuMs, false],
    [
      'HTTP append, 1 client, vs raw 1/commit',
      one ? one.eventsPerSec / raw1 : undefined,
      GATES.append1VsRaw,
      true,
    ],
    [
      'bulk path vs raw 1000/commit',
      bulk ? bulk.eventsPerSec / raw1000 : undefined,
      GATES.bulkVsRaw1000,
      true,
    ],
    ['p99 append latency at 64 clients, ms', c64?.latency.p99, GATES.append64P99Ms, false],
  ] as const;
  console.log('\nWrite-path gates (gate / stretch)');
  const verdicts = gates.map(([name, value, limits, atLeast]) => {
    const v = verdict(value, limits, atLeast);
    console.log(`  ${name}: ${value === undefined ? '-' : fmt(value, 3)} (${limits.join(' / ')}): ${v}`);
    return {
      name,
      value: value === undefined ? null : round(value, 4),
      gate: limits[0],
      stretch: limits[1],
      verdict: v,
    };
  });
  return {
    raw: { perCommit1: round(raw1), perCommit64: round(raw64), perCommit1000: round(raw1000) },
    bulk: bulk
      ? {
          events: bulk.events,
          perRequest: bulk.perRequest,
          eventsPerSec: round(bulk.eventsPerSec),
          serverCpuMsPerEvent: round(bulk.serverCpuMsPerEvent, 4),
        }
      : null,
    gates: verdicts,
  };
}
