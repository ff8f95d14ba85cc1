import { DateTime, FixedOffsetZone, IANAZone, type DateTimeUnit, type Zone } from 'luxon';
import type { FieldError } from './errors';
import { RememberedZone } from './remembered-zone';

/**
 * Parts of a day as reporting names them, in the event's zone, as wall-clock hours [from, to).
 * "night" is the early hours of the date it is given with; a night across midnight is a range of
 * two dates.
 */
export const PARTS_OF_DAY = {
  night: [0, 6],
  dawn: [5, 8],
  morning: [6, 12],
  afternoon: [12, 18],
  evening: [18, 24],
} as const;
export type PartOfDay = keyof typeof PARTS_OF_DAY;

export const PRECISIONS = [
  'minute',
  'hour',
  'night',
  'dawn',
  'morning',
  'afternoon',
  'evening',
  'day',
  'week',
  'month',
  'year',
] as const;
export type Precision = (typeof PRECISIONS)[number];

const PART_RANK = 1.5;
const RANK: Record<Precision, number> = {
  minute: 0,
  hour: 1,
  night: PART_RANK,
  dawn: PART_RANK,
  morning: PART_RANK,
  afternoon: PART_RANK,
  evening: PART_RANK,
  day: 2,
  week: 3,
  month: 4,
  year: 5,
};
const isPartOfDay = (p: Precision): p is PartOfDay => RANK[p] === PART_RANK;
/** A calendar unit: what a value's own text carries. */
type Unit = Exclude<Precision, PartOfDay>;

export interface TemporalInput {
  readonly start: string;
  readonly end?: string;
  readonly precision?: Precision;
  readonly approximate?: boolean;
  readonly timezone?: string;
}

/** A normalised reported time: a half-open interval [start, end) in UTC, with its zone and precision. */
export interface Temporal {
  /** Earliest instant (UTC, ISO 8601 with milliseconds): what the timeline orders by. */
  readonly start: string;
  /** Exclusive end (UTC). A value with no explicit end covers one unit of its precision. */
  readonly end: string;
  readonly precision: Precision;
  readonly approximate: boolean;
  /** IANA zone, or a fixed offset such as UTC+2 when only an offset was given. */
  readonly timezone: string;
  /** The start as local time in that zone, for display. */
  readonly startLocal: string;
}

const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const YEAR = /^\d{4}$/;
const MONTH = /^\d{4}-\d{2}$/;
const WEEK = /^\d{4}-W\d{2}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

function granularityOf(local: string): Unit {
  if (YEAR.test(local)) return 'year';
  if (MONTH.test(local)) return 'month';
  if (WEEK.test(local)) return 'week';
  if (DAY.test(local)) return 'day';
  if (HOUR.test(local)) return 'hour';
  return 'minute';
}

/** Zone names seen so far: checking one builds an Intl.DateTimeFormat, the costliest step of a POST. */
const zoneValidity = new Map<string, boolean>();
const MAX_REMEMBERED_ZONES = 2048;

export function isValidZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone) || FixedOffsetZone.parseSpecifier(zone) !== null;
    if (zoneValidity.size >= MAX_REMEMBERED_ZONES) zoneValidity.clear();
    zoneValidity.set(zone, valid);
  }
  return valid;
}

interface Parsed {
  readonly value: DateTime;
  readonly granularity: Unit;
  readonly hadOffset: boolean;
}

/** luxon's zone for a name: an IANA zone with remembered offsets, else the name (a fixed offset). */
const zoneFor = (name: string): Zone | string => RememberedZone.of(name) ?? name;

/** `zone`: the stated zone (an offset in the text must agree with it), or the start's for an end. */
function parseLocal(
  text: string,
  zone: Zone | string | undefined,
  path: string,
  errors: FieldError[],
  stated = true,
): Parsed | null {
  const trimmed = text.trim();
  const hadOffset = trimmed.includes('T') && OFFSET_SUFFIX.test(trimmed);
  const local = hadOffset ? trimmed.replace(OFFSET_SUFFIX, '') : trimmed;
  if (!hadOffset && !zone) {
    errors.push({
      path,
      message: `"${text}" has no time zone: add an offset (e.g. +02:00) or occurred.timezone`,
    });
    return null;
  }
  const value = DateTime.fromISO(trimmed, hadOffset ? { setZone: true } : { zone });
  if (!value.isValid) {
    errors.push({
      path,
      message: `"${text}" is not an ISO 8601 date or date-time (${value.invalidExplanation ?? value.invalidReason})`,
    });
    return null;
  }
  const impossible = impossibility(trimmed, value);
  if (impossible) {
    errors.push({ path, message: `"${text}" ${impossible}` });
    return null;
  }
  // An offset and a zone both stated must agree at that instant: which one is wrong cannot be known.
  if (hadOffset && zone !== undefined && stated) {
    const zoned = value.setZone(zone);
    if (zoned.isValid && zoned.offset !== value.offset) {
      errors.push({
        path,
        message: `"${text}" gives the offset ${value.toFormat('ZZ')}, but ${zoned.zoneName ?? 'the zone'} is at ${zoned.toFormat('ZZ')} then: give one of them, or make them agree`,
      });
      return null;
    }
  }
  return { value, granularity: granularityOf(local), hadOffset };
}

const unitOf = (p: Unit): DateTimeUnit => p;

/** UTC offsets in use range from -12:00 to +14:00; ISO 8601 and luxon accept up to ±23:59. */
const MAX_OFFSET_MINUTES = 18 * 60;

/**
 * Why a parsed value cannot be a time of reporting, or null: a year outside 0001-9999 (ISO 8601's
 * extended years, "+099999", and the year 0) or an offset beyond ±18:00 ("+25:00").
 */
function impossibility(text: string, value: DateTime): string | null {
  // In UTC too: 9999-12-31T23:00-05:00 is a year 10000 instant.
  const utc = value.toUTC().year;
  if (/^[+-]/.test(text) || [value.year, utc].some((y) => y < 1 || y > 9999))
    return 'has a year outside 0001-9999';
  if (Math.abs(value.offset) > MAX_OFFSET_MINUTES) return 'has an offset beyond ±18:00';
  return null;
}

/**
 * Parses and normalises a reported time with luxon. Rules:
 * - a zone is required or derivable: an explicit offset in the value, or `timezone` (IANA);
 * - the precision defaults to the value's own granularity ("2022-02-17" is a day, "2022-02" a month,
 *   "2022-W07" a week); a finer precision than the value carries is an error;
 * - the interval is [start of the start unit, end of the end unit); `end` must not be before `start`;
 *   with no stated precision, the end unit is the end value's own ("2022-02-17" to "…T18:30" ends at
 *   18:31), with one, the coarser of it and the end value's;
 * - "2019" is the year 2019; a stated offset that contradicts the stated zone is an error.
 */
export function parseTemporal(
  input: TemporalInput,
  path: string,
): { value?: Temporal; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (input.timezone !== undefined && !isValidZone(input.timezone)) {
    errors.push({ path: `${path}.timezone`, message: `"${input.timezone}" is not an IANA time zone` });
    return { errors };
  }
  const given = input.timezone === undefined ? undefined : zoneFor(input.timezone);
  const start = parseLocal(input.start, given, `${path}.start`, errors);
  if (!start) return { errors };
  const zone = given ?? start.value.zone;
  const zoneName = input.timezone ?? (start.value.offset === 0 ? 'UTC' : start.value.zone.name);
  const end =
    input.end === undefined
      ? null
      : input.timezone === undefined
        ? parseLocal(input.end, zoneName, `${path}.end`, errors, false)
        : parseLocal(input.end, zone, `${path}.end`, errors);
  if (input.end !== undefined && !end) return { errors };

  const precision = input.precision ?? start.granularity;
  // With no stated precision each bound keeps its own ("2022-02-17" to "2022-02-17T18:30+05:30");
  // a stated precision applies to both, unless the end is coarser still.
  if (isPartOfDay(precision))
    return partOfDay(input, precision, { ...start, value: start.value.setZone(zone) }, end, zoneName, path);
  if (RANK[precision] < RANK[start.granularity]) {
    errors.push({
      path: `${path}.precision`,
      message: `precision ${precision} is finer than "${input.start}" (${start.granularity})`,
    });
    return { errors };
  }
  if (end && end.value.toMillis() < start.value.toMillis()) {
    errors.push({ path: `${path}.end`, message: `end (${input.end}) is before start (${input.start})` });
    return { errors };
  }
  const startDt = start.value.setZone(zone).startOf(unitOf(precision));
  const endBase = end ? end.value.setZone(zone) : startDt;
  const endPrecision = !end
    ? precision
    : input.precision === undefined || RANK[end.granularity] > RANK[precision]
      ? end.granularity
      : precision;
  const endDt = endBase.startOf(unitOf(endPrecision)).plus({ [endPrecision]: 1 });
  return {
    errors,
    value: {
      start: startDt.toUTC().toISO()!,
      end: endDt.toUTC().toISO()!,
      precision,
      approximate: input.approximate ?? false,
      timezone: zoneName,
      startLocal: startDt.toISO()!,
    },
  };
}

/**
 * "At dawn on 17 February": the part of the start's date, in its zone. The start is a date, or a
 * time within that part (which the part then stands for); an end, when given, keeps its own
 * precision.
 */
function partOfDay(
  input: TemporalInput,
  part: PartOfDay,
  start: Parsed,
  end: Parsed | null,
  zoneName: string,
  path: string,
): { value?: Temporal; errors: FieldError[] } {
  const fail = (at: string, message: string) => ({ errors: [{ path: `${path}.${at}`, message }] });
  // A part of a day is finer than a week, a month or a year: it needs the day.
  if (RANK[start.granularity] > RANK.day) {
    return fail('precision', `precision ${part} is finer than "${input.start}" (${start.granularity})`);
  }
  const [from, to] = PARTS_OF_DAY[part];
  const day = start.value.startOf('day');
  const startDt = day.set({ hour: from });
  const partEnd = to === 24 ? day.plus({ days: 1 }) : day.set({ hour: to });
  const timed = start.granularity !== 'day';
  if (timed && (start.value < startDt || start.value >= partEnd)) {
    return fail('start', `"${input.start}" is not within the ${part} (${from}:00-${to}:00) of its day`);
  }
  if (end && end.value < (timed ? start.value : day)) {
    return fail('end', `end (${input.end}) is before start (${input.start})`);
  }
  const endDt = end
    ? end.value
        .setZone(start.value.zone)
        .startOf(unitOf(end.granularity))
        .plus({ [end.granularity]: 1 })
    : partEnd;
  return {
    errors: [],
    value: {
      start: startDt.toUTC().toISO()!,
      end: endDt.toUTC().toISO()!,
      precision: part,
      approximate: input.approximate ?? false,
      timezone: zoneName,
      startLocal: startDt.toISO()!,
    },
  };
}

/** An instant must carry its offset (e.g. "2022-02-17T10:00:00Z"); returns UTC ISO or an error. */
export function parseInstant(text: string, path: string, errors: FieldError[]): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.includes('T') || !OFFSET_SUFFIX.test(trimmed)) {
    errors.push({
      path,
      message: `"${text}" must be an ISO 8601 date-time with an offset (e.g. 2022-02-17T10:00:00Z)`,
    });
    return undefined;
  }
  const value = DateTime.fromISO(trimmed, { setZone: true });
  if (!value.isValid) {
    errors.push({ path, message: `"${text}" is not a valid ISO 8601 date-time` });
    return undefined;
  }
  const impossible = impossibility(trimmed, value);
  if (impossible) {
    errors.push({ path, message: `"${text}" ${impossible}` });
    return undefined;
  }
  return value.toUTC().toISO();
}

/**
 * The end (epoch ms) of the unit a normalised time's start is stated in: its minute, hour, part of
 * the day, day, week, month or year, in its own zone. The start is known only to within
 * [start, this), which is where the timeline's ordering rule lets it move.
 */
export function startUnitEnd(t: Pick<Temporal, 'start' | 'precision' | 'timezone'>): number {
  const start = Date.parse(t.start);
  if (t.precision === 'minute') return start + 60_000;
  if (t.precision === 'hour') return start + 3_600_000;
  const local = DateTime.fromMillis(start, { zone: zoneFor(t.timezone) });
  if (isPartOfDay(t.precision)) {
    const to = PARTS_OF_DAY[t.precision][1];
    const day = local.startOf('day');
    return (to === 24 ? day.plus({ days: 1 }) : day.set({ hour: to })).toMillis();
  }
  return local.plus({ [t.precision]: 1 }).toMillis();
}

/** Precisions from finest (0) to coarsest: parts of the day share one tier, between hour and day. */
export function precisionTier(p: Precision): number {
  return RANK[p] === PART_RANK ? 2 : RANK[p] < PART_RANK ? RANK[p] : RANK[p] + 1;
}

/** Whether `text` is a bare date (YYYY-MM-DD), which a bound reads as a whole UTC day. */
export const isBareDate = (text: string): boolean => DAY.test(text.trim());

/**
 * A date (its start in UTC) or an instant with an offset, as a UTC ISO instant; or an error. The
 * same limits as a reported time: years 0001-9999, offsets within ±18:00.
 */
export function parseDateOrInstant(text: string, path: string, errors: FieldError[]): string | undefined {
  if (DAY.test(text.trim())) {
    const day = DateTime.fromISO(text.trim(), { zone: 'UTC' });
    if (day.isValid && day.year >= 1) return day.toISO();
    errors.push({ path, message: `"${text}" is not a valid date (years 0001-9999)` });
    return undefined;
  }
  return parseInstant(text, path, errors);
}
