import { el, MONTHS } from './dom.js';
import { position } from './timeline-axis.js';

// The zoomed-out view of a range holding more entries than the page reads: the histogram route's
// buckets (GET /v1/timeline/histogram) as bars on the time axis, each a button that zooms into its
// bucket and names its count for screen readers.

const entries = (n) => `${n.toLocaleString('en')} ${n === 1 ? 'entry' : 'entries'}`;

function bucketLabel(start, unit) {
  const d = new Date(start);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (unit === 'day') return day;
  if (unit === 'week') return `Week of ${day}`;
  if (unit === 'month') return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return String(d.getUTCFullYear());
}

/** The histogram's extent: from its first bucket's start to its last one's end (ms). */
export function histogramRange(histogram) {
  const { buckets } = histogram;
  return { start: Date.parse(buckets[0].start), end: Date.parse(buckets[buckets.length - 1].end) };
}

function dayText(ms) {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * The entries of the buckets that end before the view starts (counted by their start, matched
 * because they last into the view) as one button in the caption, not as bars: on the axis they
 * would be slivers at its left edge named by dates outside it. The button zooms to when they
 * began, where the timeline lists them.
 */
function earlierButton(earlier, range) {
  const count = earlier.reduce((sum, b) => sum + b.count, 0);
  const first = earlier[0].start;
  const last = earlier[earlier.length - 1].end;
  const text = `${entries(count)} began before ${dayText(range.start)} and last into this range`;
  return el(
    'button',
    {
      type: 'button',
      class: 'tl-bucket-earlier',
      'data-bucket-start': first,
      'data-bucket-end': last,
      'data-count': count,
      title: `${text} (from ${dayText(Date.parse(first))})`,
    },
    `${text}: zoom to when they began`,
  );
}

/**
 * A caption and the bar chart of the buckets over `range` (a bucket reaching outside is cut). The
 * histogram counts by start the entries that overlap the range, so buckets may end before it:
 * those are one "began earlier" button beside the caption; the counts still add up to the total.
 */
export function bucketChart(histogram, range) {
  const earlier = histogram.buckets.filter((b) => Date.parse(b.end) <= range.start);
  const inRange = histogram.buckets.filter((b) => Date.parse(b.end) > range.start);
  const max = Math.max(1, ...inRange.map((b) => b.count));
  const list = el('ol', { class: 'tl-buckets', 'aria-label': `Entries per ${histogram.bucket}` });
  for (const b of inRange) {
    const start = Math.max(Date.parse(b.start), range.start);
    const end = Math.min(Date.parse(b.end), range.end);
    const at = position(range, start, Math.max(end, start));
    const label = `${bucketLabel(Date.parse(b.start), histogram.bucket)}: ${entries(b.count)}`;
    const bar = el('button', {
      type: 'button',
      class: 'tl-bucket-bar',
      'data-bucket-start': b.start,
      'data-bucket-end': b.end,
      'data-count': b.count,
      'aria-label': `${label}. Zoom in to it`,
      title: label,
    });
    bar.style.height = `${Math.max(3, (b.count / max) * 100)}%`;
    const item = el(
      'li',
      { class: `tl-bucket${at.width >= 2.5 ? ' is-wide' : ''}` },
      el('span', { class: 'tl-bucket-count', 'aria-hidden': 'true' }, b.count.toLocaleString('en')),
      bar,
    );
    item.style.left = `${at.left}%`;
    item.style.width = `max(${at.width}%, 3px)`;
    list.append(item);
  }
  return el(
    'div',
    { class: 'tl-histogram' },
    el(
      'p',
      { class: 'tl-histogram-caption', id: 'tl-histogram-caption' },
      `${entries(histogram.total)} in this range: more than the page draws one by one, so they are counted per ${histogram.bucket} (UTC, by when each began). Zoom in, or choose a bar, to see the entries.`,
      earlier.length ? [' ', earlierButton(earlier, range)] : [],
    ),
    list,
  );
}
