import type { Generator } from './scale-generator';
import { MINOR_CRISIS, RARE_TERM } from './scale-registry';
import { HEAVY_SHARE, ZIPF_S } from './scale-skew';
import { fmt, round } from './stats';

/** Prints how skewed the generated log came out (as planned by the generator) and returns it. */
export function skewReport(g: Generator): object {
  const s = g.skew;
  const share = (n: number): number => (s.reports > 0 ? n / s.reports : 0);
  const pct = (n: number): string => `${fmt(share(n) * 100, 2)}%`;
  const heavy = g.picker.heavy;
  const rare = g.picker.rare;
  const top = g.picker.ranked.slice(0, 3);
  const count = (a: string): number => s.byActor.get(a) ?? 0;
  const intervals = Object.fromEntries([...s.intervals].map(([k, n]) => [k, n]));
  console.log(
    `\nThe log: ${fmt(s.reports, 0)} reports; ${heavy} (heavy) named in ${pct(count(heavy))}; ` +
      `Zipf (s=${ZIPF_S}) top others ${top.map((a) => `${a} ${pct(count(a))}`).join(', ')}; ` +
      `rare actor ${rare} in ${fmt(count(rare), 0)} reports`,
  );
  console.log(
    `occurred intervals: ${[...s.intervals].map(([k, n]) => `${k} ${pct(n)}`).join(', ')}; ` +
      `search term "${RARE_TERM}" in ${fmt(s.rareTerm, 0)} summaries (${pct(s.rareTerm)}); ` +
      `${MINOR_CRISIS} ${pct(s.minorCrisis)}`,
  );
  return {
    reports: s.reports,
    heavy: {
      actor: heavy,
      plannedShare: HEAVY_SHARE,
      reports: count(heavy),
      share: round(share(count(heavy)), 4),
    },
    zipf: {
      s: ZIPF_S,
      top: top.map((a) => ({ actor: a, reports: count(a), share: round(share(count(a)), 4) })),
    },
    rare: { actor: rare, reports: count(rare) },
    intervals,
    searchTerm: { term: RARE_TERM, reports: s.rareTerm },
    minorCrisis: { crisis: MINOR_CRISIS, reports: s.minorCrisis },
  };
}
