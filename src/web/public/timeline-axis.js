import { el, MONTHS } from './dom.js';

// The time axis: tick marks at round UTC instants (hours, days, months or years), about eight of
// them whatever the zoom, and where an instant lies on a track, in percent of its width.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONTH = 30.44 * DAY;
const YEAR = 365.25 * DAY;

/** Tick steps, finest first: a unit and how many of it. */
const STEPS = [
  ...[1, 3, 6, 12].map((n) => ({ unit: 'hour', n, ms: n * HOUR })),
  ...[1, 2, 7, 14].map((n) => ({ unit: 'day', n, ms: n * DAY })),
  ...[1, 3, 6].map((n) => ({ unit: 'month', n, ms: n * MONTH })),
  ...[1, 2, 5, 10, 25, 50, 100, 250, 500, 1000].map((n) => ({ unit: 'year', n, ms: n * YEAR })),
];

/** Where [start, end] lies on a track showing `range`, in percent. */
export function position(range, start, end) {
  const width = range.end - range.start;
  const left = ((start - range.start) / width) * 100;
  const right = ((end - range.start) / width) * 100;
  return { left, width: Math.max(right - left, 0) };
}

/** The instant at `share` (0..1) of a track showing `range`. */
export const instantAt = (range, share) => range.start + (range.end - range.start) * share;

function utc(year, month, day = 1) {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d.getTime();
}

/** Round instants within the range, `step` apart. */
function tickInstants(range, step) {
  const out = [];
  if (step.unit === 'hour' || step.unit === 'day') {
    for (let t = Math.ceil(range.start / step.ms) * step.ms; t <= range.end; t += step.ms) out.push(t);
    return out;
  }
  const first = new Date(range.start);
  const perMonths = step.unit === 'month' ? step.n : step.n * 12;
  let months = first.getUTCFullYear() * 12 + first.getUTCMonth();
  months = Math.ceil(months / perMonths) * perMonths;
  for (let t = utc(Math.floor(months / 12), months % 12); t <= range.end;) {
    if (t >= range.start) out.push(t);
    months += perMonths;
    t = utc(Math.floor(months / 12), months % 12);
  }
  return out;
}

function tickLabel(t, unit, first) {
  const d = new Date(t);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  const year = String(d.getUTCFullYear());
  if (unit === 'hour') return `${day} ${String(d.getUTCHours()).padStart(2, '0')}:00`;
  if (unit === 'day') return first ? `${day} ${year}` : day;
  if (unit === 'month') return `${MONTHS[d.getUTCMonth()]} ${year}`;
  return year;
}

/** About eight ticks over the range, each with its label. */
export function ticks(range) {
  const step = STEPS.find((s) => (range.end - range.start) / s.ms <= 8) ?? STEPS[STEPS.length - 1];
  return tickInstants(range, step).map((t, i) => ({ t, label: tickLabel(t, step.unit, i === 0) }));
}

/** The axis row: its label cell, then the ticks on a track (the track takes the wheel: zoom). */
export function axis(range, label) {
  const track = el('div', { class: 'tl-track tl-axis-track' });
  for (const { t, label: text } of ticks(range)) {
    const tick = el('span', { class: 'tl-tick' }, text);
    tick.style.left = `${position(range, t, t).left}%`;
    track.append(tick);
  }
  return el(
    'div',
    { class: 'tl-axis', 'aria-hidden': 'true' },
    el('span', { class: 'tl-axis-label' }, label),
    track,
  );
}
