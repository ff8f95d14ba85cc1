import { actorHref } from './actor-link.js';
import { el, MONTHS, occurredLabel, typeLabel } from './dom.js';
import { axis, position } from './timeline-axis.js';
import { bucketChart, histogramRange } from './timeline-buckets.js';
import { connectionsOf, connectionsText, drawConnections, followSize } from './timeline-links.js';
import { DAY } from './timeline-view.js';
import { bindZoom, restoreZoomFocus, zoomBar } from './timeline-zoom.js';

export { readTimeline, viewOf } from './timeline-view.js';

/** The group an entry is drawn in: its type, or its first claimant (else its first actor). */
function groupOf(item, by) {
  if (by === 'actor') {
    const actor = item.claimants?.[0] ?? item.actors?.[0];
    return actor
      ? { key: actor.actorId, label: actor.name || actor.actorId }
      : { key: '', label: 'No actor' };
  }
  return { key: item.type, label: typeLabel(item.type) };
}

const startOf = (item) => Date.parse(item.occurred.start);
const endOf = (item) => Date.parse(item.occurred.end ?? item.occurred.start);

/** The items' extent, with a margin. */
function span(items) {
  let min = Infinity;
  let max = -Infinity;
  for (const item of items) {
    min = Math.min(min, startOf(item));
    max = Math.max(max, endOf(item));
  }
  const pad = Math.max((max - min) * 0.02, DAY / 4);
  return { start: min - pad, end: max + pad };
}

function rangeText({ start, end }) {
  const when = (ms) => {
    const d = new Date(ms);
    const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}${hm === '00:00' ? '' : ` ${hm}`}`;
  };
  return `Showing ${when(start)} to ${when(end)} (UTC)`;
}

/** One entry: a link (keyboard: Tab, Enter) with its date and summary, and its bar on the axis. */
export function itemRow(item, range, highlighted) {
  const bar = el('span', {
    class: `tl-bar status-${item.status}${item.occurred.approximate ? ' approximate' : ''}`,
    title: `${occurredLabel(item.occurred)} · ${item.status}`,
  });
  const at = position(range, startOf(item), endOf(item));
  bar.style.left = `${at.left}%`;
  bar.style.width = `max(${at.width}%, 4px)`;
  const link = el(
    'a',
    {
      class: `tl-item${highlighted ? ' is-new' : ''}`,
      href: `#entry/${item.entryId}`,
      'data-entry-id': item.entryId,
      'data-status': item.status,
    },
    el(
      'span',
      { class: 'tl-label', title: item.summary },
      el('time', { datetime: item.occurred.start }, occurredLabel(item.occurred)),
      ' ',
      el('span', { class: `badge status-${item.status}` }, item.status),
      highlighted ? el('span', { class: 'badge new' }, 'new') : null,
      ' ',
      el('span', { class: 'tl-summary' }, item.summary),
    ),
    el('span', { class: 'tl-track', 'aria-hidden': 'true' }, bar),
  );
  return el('li', { class: 'tl-row' }, link);
}

function groupSections(items, range, groupBy, highlighted) {
  const groups = new Map();
  for (const item of items) {
    const group = groupOf(item, groupBy);
    if (!groups.has(group.key)) groups.set(group.key, { key: group.key, label: group.label, items: [] });
    groups.get(group.key).items.push(item);
  }
  const sorted = [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
  return sorted.map((group) =>
    el(
      'section',
      { class: 'tl-group' },
      el(
        'h3',
        { class: 'tl-group-title' },
        groupBy === 'actor' && group.key ? el('a', { href: actorHref(group.key) }, group.label) : group.label,
        ` (${group.items.length})`,
      ),
      el(
        'ul',
        { class: 'tl-list' },
        group.items.map((item) => itemRow(item, range, highlighted.has(item.entryId))),
      ),
    ),
  );
}

/** What had the focus in the container (an entry or a zoom button), to find it again after a render. */
function focusedKey(container) {
  const active = document.activeElement;
  if (!active || !container.contains(active)) return null;
  if (active.dataset.entryId) return `.tl-item[data-entry-id="${active.dataset.entryId}"]`;
  if (active.dataset.zoom) return `[data-zoom="${active.dataset.zoom}"]`;
  return null;
}

/**
 * The timeline: zoom buttons, an axis over the view (the URL's `view`, else all that matches), and
 * either one list per group of the entries in view, with disputes and links drawn between them, or,
 * when more entries match than the page reads (`histogram` given), the histogram's buckets.
 */
export function renderTimeline(container, items, { groupBy, highlighted, view = null, histogram = null }) {
  bindZoom(container);
  const keep = focusedKey(container);
  container.replaceChildren();
  const buckets = histogram?.buckets.length ? histogram : null;
  const range = view ?? (buckets ? histogramRange(buckets) : items.length ? span(items) : null);
  if (!range) {
    container.append(el('p', { class: 'empty' }, 'No entry matches these filters.'));
    return;
  }
  container.append(zoomBar(range, Boolean(view), rangeText(range)));
  if (buckets) {
    container.append(axis(range, 'UTC'), bucketChart(buckets, range));
    followSize(container, []);
    drawConnections(container, []);
  } else {
    const shown = view ? items.filter((i) => startOf(i) < view.end && endOf(i) > view.start) : items;
    const connections = connectionsOf(shown);
    const summaryOf = (id) => shown.find((i) => i.entryId === id)?.summary ?? id;
    container.append(axis(range, 'UTC'));
    const text = connectionsText(connections, summaryOf);
    if (text) container.append(text);
    if (shown.length === 0) container.append(el('p', { class: 'empty' }, 'No entry in this range.'));
    container.append(...groupSections(shown, range, groupBy, highlighted));
    drawConnections(container, connections);
    followSize(container, connections);
  }
  if (!restoreZoomFocus(container) && keep) container.querySelector(keep)?.focus();
}
