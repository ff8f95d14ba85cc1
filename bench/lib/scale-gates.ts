import type { HeavyResult, RouteResult } from './scale-load';
import type { RouteKind } from './scale-routes';
import { fmt, round, table } from './stats';

/**
 * The gates of issue 13 ("reads that stay flat to 1 M events and never hold the server"), and the
 * comparison of each route's p99 across the sizes of one run.
 */
export const GATES = {
  /** Every read route except search and as-of: p99 <= 50 ms ... */
  readP99Ms: 50,
  /** ... and <= 2x its own p99 at the first (smallest) size, 10k events by default. */
  flatRatio: 2,
  searchP99Ms: 100,
  asOfP99Ms: 200,
  /** During the heavy phase. */
  healthP99Ms: 50,
  loopDelayP99Ms: 20,
};

const LIMIT: Record<RouteKind, number> = {
  read: GATES.readP99Ms,
  search: GATES.searchP99Ms,
  asof: GATES.asOfP99Ms,
};

export const verdict = (met: boolean): string => (met ? 'met' : 'NOT MET');

/** The absolute gate of one route at one size: p99 within its limit and every answer a 200. */
export function routeGate(r: RouteResult): { text: string; met: boolean } {
  const limit = LIMIT[r.kind];
  const met = r.errors === 0 && r.latency.p99 <= limit;
  return { text: `p99 <= ${limit}${r.errors > 0 ? ', no errors' : ''}: ${verdict(met)}`, met };
}

export interface SizedRun {
  readonly size: number;
  readonly routes: readonly RouteResult[];
  readonly heavy: HeavyResult | null;
}

export interface Comparison {
  readonly route: string;
  readonly kind: RouteKind;
  readonly p99Ms: Array<number | null>;
  /** p99 at the largest size over p99 at the first. */
  readonly ratio: number | null;
  readonly gate: string;
  readonly met: boolean;
}

/** Each route's p99 at each size, the ratio largest/first, and its gate over the whole run. */
export function compare(runs: readonly SizedRun[]): {
  rows: Comparison[];
  health: { p99Ms: Array<number | null>; met: boolean };
  loop: { p99Ms: Array<number | null>; met: boolean };
} {
  const names: string[] = [];
  for (const run of runs) for (const r of run.routes) if (!names.includes(r.name)) names.push(r.name);
  const rows = names.map((name): Comparison => {
    const at = runs.map((run) => run.routes.find((r) => r.name === name) ?? null);
    const kind = at.find((r) => r)!.kind;
    const p99 = at.map((r) => (r && r.latency.n > 0 ? r.latency.p99 : null));
    const base = p99[0] ?? null;
    const last = p99[p99.length - 1] ?? null;
    const ratio = base !== null && last !== null && runs.length > 1 ? last / base : null;
    const absolute = at.every((r) => r !== null && routeGate(r).met);
    let gate = `p99 <= ${LIMIT[kind]}`;
    let met = absolute;
    if (kind === 'read') {
      gate += `, <= ${GATES.flatRatio}x first size`;
      const flat = base !== null && p99.every((p) => p !== null && p <= GATES.flatRatio * base);
      met = absolute && flat;
    }
    return { route: name, kind, p99Ms: p99, ratio, gate, met };
  });
  const healthP99 = runs.map((r) => (r.heavy && r.heavy.health.n > 0 ? r.heavy.health.p99 : null));
  const loopP99 = runs.map((r) => r.heavy?.loopDelayMs?.p99 ?? null);
  return {
    rows,
    health: {
      p99Ms: healthP99,
      met: healthP99.every((p) => p !== null && p <= GATES.healthP99Ms),
    },
    loop: { p99Ms: loopP99, met: loopP99.every((p) => p !== null && p <= GATES.loopDelayP99Ms) },
  };
}

const ms = (v: number | null): string => (v === null ? '-' : fmt(v, 2));

/** Prints the comparison table and returns it for the JSON. */
export function printComparison(runs: readonly SizedRun[]): object {
  const c = compare(runs);
  const sizes = runs.map((r) => fmt(r.size));
  const head = ['route', ...sizes.map((s) => `p99 @ ${s}`), 'last/first', 'gate', ''];
  const rows = c.rows.map((r) => [
    r.route,
    ...r.p99Ms.map(ms),
    r.ratio === null ? '-' : `${fmt(r.ratio, 2)}x`,
    r.gate,
    verdict(r.met),
  ]);
  rows.push([
    '/health during the heavy phase',
    ...c.health.p99Ms.map(ms),
    '-',
    `p99 <= ${GATES.healthP99Ms}`,
    verdict(c.health.met),
  ]);
  rows.push([
    'event-loop delay during the heavy phase',
    ...c.loop.p99Ms.map(ms),
    '-',
    `p99 <= ${GATES.loopDelayP99Ms}`,
    verdict(c.loop.met),
  ]);
  console.log(`\nAcross sizes: p99 in ms (first size ${sizes[0]} is the flatness reference)`);
  console.log(table(head, rows));
  const all = [...c.rows.map((r) => r.met), c.health.met, c.loop.met];
  console.log(`gates met: ${all.filter((m) => m).length} of ${all.length}`);
  return {
    sizes: runs.map((r) => r.size),
    routes: c.rows.map((r) => ({
      ...r,
      p99Ms: r.p99Ms.map((p) => (p === null ? null : round(p, 3))),
      ratio: r.ratio === null ? null : round(r.ratio, 3),
    })),
    healthP99Ms: { values: c.health.p99Ms.map((p) => (p === null ? null : round(p, 3))), met: c.health.met },
    loopDelayP99Ms: { values: c.loop.p99Ms.map((p) => (p === null ? null : round(p, 3))), met: c.loop.met },
    gatesMet: all.filter((m) => m).length,
    gates: all.length,
  };
}
