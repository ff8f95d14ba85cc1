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

/** A caption and the bar chart of the buckets over `range` (a bucket reaching outside is cut). */
export function bucketChart(histogram, range) {
  const max = Math.max(1, ...histogram.buckets.map((b) => b.count));
  const list = el('ol', { class: 'tl-buckets', 'aria-label': `Entries per ${histogram.bucket}` });
  for (const b of histogram.buckets) {
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
    ),
    list,
  );
}
