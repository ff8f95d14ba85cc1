import uPlot from './vendor/uplot/uPlot.esm.js';
import { getJson } from './api.js';
import { el, MONTHS } from './dom.js';

// The actor's activity: how many of its entries began on each UTC day, from the server's histogram
// of the timeline filtered by the actor (the same entries the timeline lists for it). Drawn with
// uPlot on a canvas (uPlot styles through the CSSOM only, which the page's CSP allows); the same
// counts are given as a table for keyboards and screen readers.

const DAY = 86_400_000;
const HEIGHT = 170;
let resizing = null; // the chart on screen follows its box's width; a new chart replaces it

/** Entry counts per UTC day for the actor: { bucket, buckets: [{ start, end, count }] }. */
function histogram(actorId, includeMembers) {
  const query = new URLSearchParams({ actor: actorId, bucket: 'day' });
  if (includeMembers) query.set('includeMembers', 'true');
  return getJson(`/v1/timeline/histogram?${query}`);
}

function dayLabel(ms) {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * One value per day from the first busy day to the last (null on days without entries, so that the
 * bars are spaced by day and each is one day wide), x at the middle of the day in seconds, as uPlot
 * takes time.
 */
export function dailySeries(buckets) {
  const counts = new Map(buckets.map((b) => [Date.parse(b.start), b.count]));
  const starts = [...counts.keys()].sort((a, b) => a - b);
  const xs = [];
  const ys = [];
  if (starts.length === 0) return [xs, ys];
  for (let day = starts[0]; day <= starts[starts.length - 1]; day += DAY) {
    xs.push((day + DAY / 2) / 1000);
    ys.push(counts.get(day) ?? null); // a day without entries draws no bar
  }
  return [xs, ys];
}

function chartOptions(width, [xs, ys], readout) {
  // A few days of margin each side, so that a short activity is not drawn as a wall of bars.
  const margin = Math.max(2, Math.ceil(xs.length * 0.03)) * (DAY / 1000);
  return {
    width,
    height: HEIGHT,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    // The day under the pointer and its count, beside the chart (the table gives them all).
    hooks: {
      setCursor: [
        (u) => {
          const i = u.cursor.idx;
          readout.textContent =
            i === null || i === undefined
              ? 'Point at a bar for its day.'
              : `${dayLabel(xs[i] * 1000)}: ${ys[i] ?? 0} ${ys[i] === 1 ? 'entry' : 'entries'}`;
        },
      ],
    },
    scales: {
      x: { time: true, range: () => [xs[0] - margin, xs[xs.length - 1] + margin] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
    },
    axes: [
      {
        stroke: '#4f5660',
        grid: { stroke: '#e4e7eb' },
        // Ticks at UTC midnights only, a day or more apart, named by their day.
        incrs: [1, 2, 7, 14, 28, 91, 182, 364].map((days) => (days * DAY) / 1000),
        values: (_u, splits) => splits.map((s) => dayLabel(s * 1000).replace(/ \d{4}$/, '')),
        space: 60,
      },
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
        paths: uPlot.paths.bars({ size: [0.85, Infinity] }),
      },
    ],
  };
}

function table(buckets) {
  return el(
    'details',
    { class: 'activity-table' },
    el('summary', {}, 'The same counts as a table'),
    el(
      'table',
      {},
      el('caption', { class: 'visually-hidden' }, 'Entries per day'),
      el(
        'thead',
        {},
        el('tr', {}, el('th', { scope: 'col' }, 'Day (UTC)'), el('th', { scope: 'col' }, 'Entries')),
      ),
      el(
        'tbody',
        {},
        buckets.map((b) =>
          el(
            'tr',
            { class: 'activity-day' },
            el('td', {}, el('time', { datetime: b.start.slice(0, 10) }, dayLabel(Date.parse(b.start)))),
            el('td', { class: 'activity-count' }, String(b.count)),
          ),
        ),
      ),
    ),
  );
}

/** The activity part of the actor page: a bar per day, a summary sentence and the table. */
export async function activityPart(actorId, includeMembers) {
  const part = el('section', { class: 'entry-part actor-activity' }, el('h3', {}, 'Activity per day'));
  let answer;
  try {
    answer = await histogram(actorId, includeMembers);
  } catch (e) {
    part.append(el('p', { class: 'error' }, `Could not read the activity: ${e.message}`));
    return { part, draw: () => {} };
  }
  const buckets = answer.buckets;
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) {
    part.append(el('p', { class: 'empty' }, 'No entry names this actor.'));
    return { part, draw: () => {} };
  }
  const busiest = buckets.reduce((a, b) => (b.count > a.count ? b : a));
  const summary =
    `${total} ${total === 1 ? 'entry' : 'entries'} by the day they began (UTC), ` +
    `${dayLabel(Date.parse(buckets[0].start))} to ${dayLabel(Date.parse(buckets[buckets.length - 1].start))}; ` +
    `the busiest day ${dayLabel(Date.parse(busiest.start))} (${busiest.count}).`;
  const box = el('div', { class: 'activity-chart', role: 'img', 'aria-label': summary });
  const readout = el('p', { class: 'hint', 'aria-hidden': 'true' }, 'Point at a bar for its day.');
  part.append(el('p', { class: 'activity-summary' }, summary), box, readout, table(buckets));
  // Drawn once the part is in the page and visible: uPlot measures nothing, but the width is the box's.
  const draw = () => {
    resizing?.disconnect();
    const data = dailySeries(buckets);
    const plot = new uPlot(chartOptions(Math.max(box.clientWidth, 300), data, readout), data, box);
    box.dataset.total = String(plot.data[1].reduce((sum, n) => sum + (n ?? 0), 0));
    resizing = new window.ResizeObserver(() => {
      if (box.isConnected && box.clientWidth > 0 && box.clientWidth !== plot.width)
        plot.setSize({ width: box.clientWidth, height: HEIGHT });
    });
    resizing.observe(box);
  };
  return { part, draw };
}
