/** Latency summaries (milliseconds) and small formatting helpers for the benchmark tables. */

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Milliseconds on CLOCK_MONOTONIC: the same clock in every process on the machine. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Nearest-rank percentiles. */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { n: 0, p50: NaN, p99: NaN, max: NaN, mean: NaN };
  const rank = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { n, p50: rank(0.5), p99: rank(0.99), max: sorted[n - 1]!, mean: sum / n };
}

export const round = (v: number, digits = 2): number => Number(v.toFixed(digits));

export function fmt(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return '-';
  return v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits);
}

/** A plain text table, columns padded to their widest cell. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
