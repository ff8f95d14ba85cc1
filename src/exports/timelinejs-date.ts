import { DateTime } from 'luxon';
import { RememberedZone } from '../shared/remembered-zone';
import { PARTS_OF_DAY, startUnitEnd, type PartOfDay, type Precision, type Temporal } from '../shared/time';

/** A TimelineJS3 date: a year, and the finer parts only as far as they are known. */
export interface TimelineJsDate {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  display_date?: string;
}

interface Fields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const LOCAL = /^([+-]?\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;
const isPart = (p: Precision): p is PartOfDay => p in PARTS_OF_DAY;

/** The wall-clock fields of an ISO local time with offset (`startLocal`), read from its text. */
function fieldsOf(local: string): Fields | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  return { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! };
}

/** ISO 8601 week number and week-year of a calendar date. */
function isoWeek({ year, month, day }: Fields): { week: number; weekYear: number } {
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7)); // the week's Thursday
  const weekYear = date.getUTCFullYear();
  return { week: Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7), weekYear };
}

/** The parts of a local time that `precision` states, as TimelineJS3 reads them. */
function partsOf(at: Fields, precision: Precision): TimelineJsDate {
  const date: TimelineJsDate = { year: at.year };
  if (precision === 'year') return date;
  date.month = at.month;
  if (precision === 'month') return date;
  date.day = at.day;
  if (precision === 'hour' || precision === 'minute') date.hour = at.hour;
  if (precision === 'minute') date.minute = at.minute;
  if (precision === 'week') {
    const { week, weekYear } = isoWeek(at);
    date.display_date = `Week ${week}, ${weekYear}`;
  }
  if (isPart(precision)) date.display_date = `${at.day} ${MONTHS[at.month - 1]} ${at.year}, ${precision}`;
  return date;
}

/** The wall-clock fields of an instant (epoch ms) in an IANA zone or a fixed offset. */
function localFields(ms: number, zone: string): Fields {
  const at = DateTime.fromMillis(ms, { zone: RememberedZone.of(zone) ?? zone });
  return { year: at.year, month: at.month, day: at.day, hour: at.hour, minute: at.minute };
}

/**
 * A reported time as TimelineJS3's start_date (and end_date when the time is an interval longer
 * than the unit its start is stated in), in the event's own zone: a month-precision time gives
 * only year and month, a day gives year, month and day, an hour adds the hour, a minute the minute.
 * A week gives its first day with a display_date naming the week; a part of the day its day with
 * a display_date naming the part. The end shown is the last unit the interval covers (its end is
 * exclusive). The start's fields are read from `startLocal`; only an interval's end is converted.
 */
export function timelineJsDates(occurred: Temporal): {
  start_date: TimelineJsDate;
  end_date?: TimelineJsDate;
} {
  const local = fieldsOf(occurred.startLocal) ?? localFields(Date.parse(occurred.start), occurred.timezone);
  const start_date = partsOf(local, occurred.precision);
  const end = Date.parse(occurred.end);
  if (!Number.isFinite(end) || end <= startUnitEnd(occurred)) return { start_date };
  // A part of the day ending later is shown by its days.
  const endPrecision: Precision = isPart(occurred.precision) ? 'day' : occurred.precision;
  const end_date = partsOf(localFields(end - 1, occurred.timezone), endPrecision);
  delete end_date.display_date;
  return { start_date, end_date };
}
