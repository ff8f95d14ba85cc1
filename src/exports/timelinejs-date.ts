import { DateTime } from 'luxon';
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

const isPart = (p: Precision): p is PartOfDay => p in PARTS_OF_DAY;

/** The parts of `at` (in its own zone) that `precision` states, as TimelineJS3 reads them. */
function partsOf(at: DateTime, precision: Precision): TimelineJsDate {
  const date: TimelineJsDate = { year: at.year };
  if (precision === 'year') return date;
  date.month = at.month;
  if (precision === 'month') return date;
  date.day = at.day;
  if (precision === 'hour' || precision === 'minute') date.hour = at.hour;
  if (precision === 'minute') date.minute = at.minute;
  if (precision === 'week') date.display_date = `Week ${at.weekNumber}, ${at.weekYear}`;
  if (isPart(precision)) date.display_date = `${at.toFormat('d LLLL yyyy')}, ${precision}`;
  return date;
}

/**
 * A reported time as TimelineJS3's start_date (and end_date when the time is an interval longer
 * than the unit its start is stated in), in the event's own zone: a month-precision time gives
 * only year and month, a day gives year, month and day, an hour adds the hour, a minute the minute.
 * A week gives its first day with a display_date naming the week; a part of the day its day with
 * a display_date naming the part. The end shown is the last unit the interval covers (its end is
 * exclusive).
 */
export function timelineJsDates(occurred: Temporal): {
  start_date: TimelineJsDate;
  end_date?: TimelineJsDate;
} {
  const start = DateTime.fromISO(occurred.start, { zone: 'utc' }).setZone(occurred.timezone);
  const local = start.isValid ? start : DateTime.fromISO(occurred.startLocal, { setZone: true });
  const start_date = partsOf(local, occurred.precision);
  const end = DateTime.fromISO(occurred.end, { zone: 'utc' }).setZone(local.zone);
  if (!end.isValid || end.toMillis() <= startUnitEnd(occurred)) return { start_date };
  // A part of the day ending later is shown by its days.
  const endPrecision: Precision = isPart(occurred.precision) ? 'day' : occurred.precision;
  const end_date = partsOf(end.minus({ milliseconds: 1 }), endPrecision);
  delete end_date.display_date;
  return { start_date, end_date };
}
