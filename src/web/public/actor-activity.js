import uPlot from './vendor/uplot/uPlot.esm.js';
import { getJson } from './api.js';
import { el, MONTHS } from './dom.js';

// The actor's activity: how many of its entries began in each UTC day, week, month or year (the
// unit the server chooses for at most about 200 buckets over the actor's span), from the server's
// histogram of the timeline filtered by the actor (the same entries the timeline lists for it). Drawn with
// uPlot on a canvas (uPlot styles through the CSSOM only, which the page's CSP allows); the same
// counts are given as a table for keyboards and screen readers.

const DAY = 86_400_000;
const HEIGHT = 170;
/** Past this many slots from the first bucket to the last, only the non-empty buckets are points. */
export const MAX_SLOTS = 1000;
let resizing = null; // the chart on screen follows its box's width; a new chart replaces it

/**
 * Entry counts for the actor per the unit the server picks (`auto`: at most about 200 buckets
 * between its first and last entry, or years): { bucket, buckets: [{ start, end, count }] }. Days
 * asked for outright would be one slot per day from an entry in year 1 to one in 2024.
 */
function histogram(actorId, includeMembers) {
  const query = new URLSearchParams({ actor: actorId, bucket: 'auto' });
  if (includeMembers) query.set('includeMembers', 'true');
  return getJson(`/v1/timeline/histogram?${query}`);
}

function dayLabel(ms) {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** A bucket's name for its unit: "3 Feb 2022", "week of 31 Jan 2022", "Feb 2022", "2022". */
function bucketLabel(ms, unit) {
  const d = new Date(ms);
  if (unit === 'week') return `week of ${dayLabel(ms)}`;
  if (unit === 'month') return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (unit === 'year') return String(d.getUTCFullYear());
  return dayLabel(ms);
}

/** The start of the bucket after the one starting at `ms` (setUTC*: years 0-99 stay as they are). */
function nextStart(ms, unit) {
  if (unit === 'day') return ms + DAY;
  if (unit === 'week') return ms + 7 * DAY;
  const d = new Date(ms);
  if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.getTime();
}

/**
 * One value per bucket of the unit from the first busy one to the last (null in buckets without
 * entries, so that the bars are spaced by the unit), x at the middle of the bucket in seconds, as
 * uPlot takes time. When that would be more than MAX_SLOTS values (the server's `auto` falls back to
 * years, and entries may lie centuries apart), the non-empty buckets only: the points drawn are
 * never more than the table's rows. Returns uPlot's data, each point's bucket start (ms) and
 * whether the points are sparse.
 */
export function activitySeries(buckets, unit) {
  const xs = [];
  const ys = [];
  const starts = [];
  if (buckets.length === 0) return { data: [xs, ys], starts, sparse: false };
  const middle = (b) => (Date.parse(b.start) + Date.parse(b.end)) / 2 / 1000;
  const counts = new Map(buckets.map((b) => [Date.parse(b.start), b]));
  const last = Date.parse(buckets[buckets.length - 1].start);
  let slots = 0;
  for (let at = Date.parse(buckets[0].start); at <= last && slots <= MAX_SLOTS; at = nextStart(at, unit))
    slots++;
  if (slots > MAX_SLOTS) {
    const data = [buckets.map(middle), buckets.map((b) => b.count)];
    return { data, starts: buckets.map((b) => Date.parse(b.start)), sparse: true };
  }
  for (let at = Date.parse(buckets[0].start); at <= last; at = nextStart(at, unit)) {
    const b = counts.get(at);
    xs.push(b ? middle(b) : (at + nextStart(at, unit)) / 2 / 1000);
    ys.push(b?.count ?? null); // a bucket without entries draws no bar
    starts.push(at);
  }
  return { data: [xs, ys], starts, sparse: false };
}

const UNIT_DAYS = { day: 1, week: 7, month: 30.44, year: 365.25 };
const UNIT_NAMES = { day: 'Day', week: 'Week', month: 'Month', year: 'Year' };

/** Time-axis ticks: days up to a year for days and weeks; uPlot's own (months, years) otherwise. */
function xAxis(unit) {
  const axis = { stroke: '#4f5660', grid: { stroke: '#e4e7eb' }, space: 60 };
  if (unit !== 'day' && unit !== 'week') return axis;
  return {
    ...axis,
    // Ticks at UTC midnights only, a day or more apart, named by their day.
    incrs: [1, 2, 7, 14, 28, 91, 182, 364].map((days) => (days * DAY) / 1000),
    values: (_u, splits) => splits.map((s) => dayLabel(s * 1000).replace(/ \d{4}$/, '')),
  };
}

function chartOptions(width, { data: [xs, ys], starts, sparse }, unit, readout) {
  // A few buckets of margin each side, so that a short activity is not drawn as a wall of bars.
  const unitSeconds = (UNIT_DAYS[unit] * DAY) / 1000;
  const margin = Math.max(2 * unitSeconds, (xs[xs.length - 1] - xs[0]) * 0.03);
  return {
    width,
    height: HEIGHT,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    // The bucket under the pointer and its count, beside the chart (the table gives them all).
    hooks: {
      setCursor: [
        (u) => {
          const i = u.cursor.idx;
          readout.textContent =
            i === null || i === undefined
              ? `Point at a bar for its ${unit}.`
              : `${bucketLabel(starts[i], unit)}: ${ys[i] ?? 0} ${ys[i] === 1 ? 'entry' : 'entries'}`;
        },
      ],
    },
    scales: {
      x: { time: true, range: () => [xs[0] - margin, xs[xs.length - 1] + margin] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
    },
    axes: [
      xAxis(unit),
      {
        stroke: '#4f5660',
        grid: { stroke: '#e4e7eb' },
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
        label: 'entries',
        size: 44,
      },
    ],
    series: [
      {},
      {
        label: 'Entries',
        stroke: '#0b57a4',
        fill: 'rgba(11, 87, 164, 0.55)',
        width: 1,
        points: { show: false },
        // Sparse points (buckets far apart) get thin bars, not bars as wide as the gaps.
        paths: uPlot.paths.bars({ size: [0.85, sparse ? 8 : Infinity] }),
      },
    ],
  };
}

function table(buckets, unit) {
  return el(
    'details',
    { class: 'activity-table' },
    el('summary', {}, 'The same counts as a table'),
    el(
      'table',
      {},
      el('caption', { class: 'visually-hidden' }, `Entries per ${unit}`),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, `${UNIT_NAMES[unit]} (UTC)`),
          el('th', { scope: 'col' }, 'Entries'),
        ),
      ),
      el(
        'tbody',
        {},
        buckets.map((b) =>
          el(
            'tr',
            { class: 'activity-day' },
            el(
              'td',
              {},
              el('time', { datetime: b.start.slice(0, 10) }, bucketLabel(Date.parse(b.start), unit)),
            ),
            el('td', { class: 'activity-count' }, String(b.count)),
          ),
        ),
      ),
    ),
  );
}

/** The activity part of the actor page: a bar per day, a summary sentence and the table. */
export async function activityPart(actorId, includeMembers) {
  const heading = el('h3', {}, 'Activity');
  const part = el('section', { class: 'entry-part actor-activity' }, heading);
  let answer;
  try {
    answer = await histogram(actorId, includeMembers);
  } catch (e) {
    part.append(el('p', { class: 'error' }, `Could not read the activity: ${e.message}`));
    return { part, draw: () => {} };
  }
  const { buckets, bucket: unit } = answer;
  heading.textContent = `Activity per ${unit}`;
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) {
    part.append(el('p', { class: 'empty' }, 'No entry names this actor.'));
    return { part, draw: () => {} };
  }
  const busiest = buckets.reduce((a, b) => (b.count > a.count ? b : a));
  const summary =
    `${total} ${total === 1 ? 'entry' : 'entries'} by the ${unit} they began (UTC), ` +
    `${bucketLabel(Date.parse(buckets[0].start), unit)} to ${bucketLabel(Date.parse(buckets[buckets.length - 1].start), unit)}; ` +
    `the busiest ${unit} ${bucketLabel(Date.parse(busiest.start), unit)} (${busiest.count}).`;
  const box = el('div', { class: 'activity-chart', role: 'img', 'aria-label': summary, 'data-unit': unit });
  const readout = el('p', { class: 'hint', 'aria-hidden': 'true' }, `Point at a bar for its ${unit}.`);
  part.append(el('p', { class: 'activity-summary' }, summary), box, readout, table(buckets, unit));
  // Drawn once the part is in the page and visible: uPlot measures nothing, but the width is the box's.
  const draw = () => {
    resizing?.disconnect();
    const series = activitySeries(buckets, unit);
    const plot = new uPlot(
      chartOptions(Math.max(box.clientWidth, 300), series, unit, readout),
      series.data,
      box,
    );
    box.dataset.points = String(plot.data[0].length);
    box.dataset.total = String(plot.data[1].reduce((sum, n) => sum + (n ?? 0), 0));
    resizing = new window.ResizeObserver(() => {
      if (box.isConnected && box.clientWidth > 0 && box.clientWidth !== plot.width)
        plot.setSize({ width: box.clientWidth, height: HEIGHT });
    });
    resizing.observe(box);
  };
  return { part, draw };
}
