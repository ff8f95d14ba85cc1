import { IANAZone } from 'luxon';

const HOUR_MS = 3_600_000;
/** Offsets are sampled this far apart, then each change is narrowed to its second. */
const STEP_MS = 3 * HOUR_MS;
/** Years whose transitions are remembered; other instants are asked of Intl as luxon does. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2100;

/** A year's offsets: `starts[i]` (epoch ms) begins a stretch at `offsets[i]` minutes. */
interface YearTable {
  readonly starts: number[];
  readonly offsets: number[];
}

const zones = new Map<string, RememberedZone>();

/**
 * An IANA zone whose offsets are remembered per year. luxon asks a zone for its offset several times
 * per date it builds, and IANAZone answers each time with Intl's formatToParts: the costliest step of
 * parsing a reported time. This asks Intl only to find a year's transitions (sampled every 3 hours,
 * each narrowed to the second, as IANAZone's offsets change only on whole seconds), once per zone and
 * year, then answers from the table. It assumes no zone changes offset twice within 3 hours; the
 * spec compares it with IANAZone around every transition of zones with unusual rules.
 */
export class RememberedZone extends IANAZone {
  private readonly years = new Map<number, YearTable>();

  /** The remembered zone of an IANA name (one per name), or null for a name that is not one. */
  static of(name: string): RememberedZone | null {
    let zone = zones.get(name);
    if (!zone) {
      if (!IANAZone.isValidZone(name)) return null;
      zone = new RememberedZone(name);
      zones.set(name, zone);
    }
    return zone;
  }

  override offset(ts: number): number {
    if (!Number.isFinite(ts)) return super.offset(ts);
    const year = new Date(ts).getUTCFullYear();
    if (year < FIRST_YEAR || year > LAST_YEAR) return super.offset(ts);
    let table = this.years.get(year);
    if (!table) {
      table = this.tableOf(year);
      this.years.set(year, table);
    }
    const { starts, offsets } = table;
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > ts) i--;
    return offsets[i]!;
  }

  /** The year's stretches of one offset, from a day before it starts to a day after it ends. */
  private tableOf(year: number): YearTable {
    const from = Date.UTC(year, 0, 1) - 24 * HOUR_MS;
    const to = Date.UTC(year + 1, 0, 1) + 24 * HOUR_MS;
    const starts = [from];
    const offsets = [super.offset(from)];
    for (let t = from; t < to; t += STEP_MS) {
      const next = Math.min(t + STEP_MS, to);
      const current = offsets[offsets.length - 1]!;
      const after = super.offset(next);
      if (after === current) continue;
      // The first second in (t, next] at which the offset is no longer `current`.
      let low = Math.floor(t / 1000);
      let high = Math.floor(next / 1000);
      while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (super.offset(mid * 1000) === current) low = mid;
        else high = mid;
      }
      starts.push(high * 1000);
      offsets.push(after);
    }
    return { starts, offsets };
  }
}
