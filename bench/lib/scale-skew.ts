import { HEAVY_ACTOR, YEAR } from './scale-registry';

/**
 * The skew of the scale benchmark's log: which actors a report names (one heavy actor in about a
 * third of the reports, the others by a Zipf law) and when it occurred (mostly short intervals,
 * a few long ones). All drawn from the generator's seeded random numbers.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Share of reports that name the heavy actor (as agent or claimant). */
export const HEAVY_SHARE = 0.35;
/** Exponent of the Zipf law over the other actors. */
export const ZIPF_S = 1.1;

/** Deterministic Fisher-Yates shuffle (a copy). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Picks actors: the heavy actor for a share of the reports, the others by a Zipf law over a
 * seeded ranking of them. The ranking continues the heavy actor's rank 1 (the first of the others
 * has weight 2^-s, the last (n+1)^-s), so the heavy actor stays the most named.
 */
export class ActorPicker {
  /** The other actors, most named first. */
  readonly ranked: readonly string[];
  private readonly cdf: Float64Array;

  constructor(
    actors: readonly string[],
    private readonly random: () => number,
    readonly heavy = HEAVY_ACTOR,
  ) {
    this.ranked = shuffled(
      actors.filter((a) => a !== heavy),
      random,
    );
    const weights = this.ranked.map((_, k) => (k + 2) ** -ZIPF_S);
    const total = weights.reduce((s, w) => s + w, 0);
    this.cdf = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, k) => {
      sum += w / total;
      this.cdf[k] = sum;
    });
  }

  /** The least named actor (the rare one the benchmark reads). */
  get rare(): string {
    return this.ranked[this.ranked.length - 1]!;
  }

  /** One of the other actors, by the Zipf law, different from those in `not`. */
  other(not: readonly string[] = []): string {
    for (;;) {
      const u = this.random();
      let lo = 0;
      let hi = this.cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.cdf[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      const actor = this.ranked[lo]!;
      if (!not.includes(actor)) return actor;
    }
  }

  /** The actors of a report: `slots` of them (1 or 2), the heavy actor among them for HEAVY_SHARE. */
  forReport(slots: 1 | 2): string[] {
    if (this.random() < HEAVY_SHARE) {
      if (slots === 1) return [this.heavy];
      const other = this.other();
      return this.random() < 0.6 ? [this.heavy, other] : [other, this.heavy];
    }
    const first = this.other();
    return slots === 1 ? [first] : [first, this.other([first])];
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** Local wall-clock text of a UTC-based millisecond value (the zone is given separately). */
const minuteText = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const hourText = (ms: number): string => minuteText(ms).slice(0, 13);
const dayText = (ms: number): string => minuteText(ms).slice(0, 10);

export type IntervalKind = 'minute' | 'hour' | 'day' | 'long';

/**
 * When a report occurred, anywhere in the year, in a zone without daylight saving time (wall-clock
 * text is made by UTC arithmetic, which a DST change would turn into an interval ending before it
 * starts): 55% minute precision (a point, or up to 12 hours), 15% hour precision (up to 6 hours),
 * 26% day precision (one day, or up to 4 days), 4% long: weeks to months (3% a day range of 14 to
 * 150 days, 1% a whole month).
 */
export function occurred(random: () => number): { occurred: Record<string, unknown>; kind: IntervalKind } {
  const timezone = 'Europe/Moscow';
  const day = Date.UTC(YEAR, 0, 1) + Math.floor(random() * 365) * DAY_MS;
  const at = day + Math.floor(random() * 24 * 60) * MINUTE_MS;
  const r = random();
  if (r < 0.55) {
    const end = random() < 0.6 ? null : at + (5 + Math.floor(random() * 715)) * MINUTE_MS;
    return {
      kind: 'minute',
      occurred: { start: minuteText(at), ...(end ? { end: minuteText(end) } : {}), timezone },
    };
  }
  if (r < 0.7) {
    const hours = Math.floor(random() * 6);
    return {
      kind: 'hour',
      occurred: {
        start: hourText(at),
        ...(hours > 0 ? { end: hourText(at + hours * 3_600_000) } : {}),
        timezone,
      },
    };
  }
  if (r < 0.96) {
    const days = random() < 0.7 ? 0 : 1 + Math.floor(random() * 3);
    return {
      kind: 'day',
      occurred: { start: dayText(day), ...(days > 0 ? { end: dayText(day + days * DAY_MS) } : {}), timezone },
    };
  }
  if (r < 0.99) {
    const days = 14 + Math.floor(random() * 137);
    return { kind: 'long', occurred: { start: dayText(day), end: dayText(day + days * DAY_MS), timezone } };
  }
  return { kind: 'long', occurred: { start: dayText(day).slice(0, 7), timezone } };
}
