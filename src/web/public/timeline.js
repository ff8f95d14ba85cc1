import { el, MONTHS, occurredLabel, typeLabel } from './dom.js';

const DAY = 86_400_000;

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

function span(items) {
  let min = Infinity;
  let max = -Infinity;
  for (const item of items) {
    min = Math.min(min, Date.parse(item.occurred.start));
    max = Math.max(max, Date.parse(item.occurred.end ?? item.occurred.start));
  }
  const pad = Math.max((max - min) * 0.02, DAY / 4);
  return { min: min - pad, max: max + pad };
}

/** Day ticks at UTC midnights, about ten of them, whatever the span. */
function ticks({ min, max }) {
  const days = (max - min) / DAY;
  const step = Math.max(1, Math.ceil(days / 10));
  const out = [];
  for (let t = Math.ceil(min / DAY) * DAY; t <= max; t += step * DAY) out.push(t);
  return out;
}

function position(range, start, end) {
  const width = range.max - range.min;
  const left = ((start - range.min) / width) * 100;
  const right = ((end - range.min) / width) * 100;
  return { left, width: Math.max(right - left, 0) };
}

function axis(range) {
  const track = el('div', { class: 'tl-track tl-axis-track' });
  for (const t of ticks(range)) {
    const day = new Date(t);
    const tick = el('span', { class: 'tl-tick' }, `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]}`);
    tick.style.left = `${position(range, t, t).left}%`;
    track.append(tick);
  }
  return el(
    'div',
    { class: 'tl-axis', 'aria-hidden': 'true' },
    el('span', { class: 'tl-axis-label' }, 'UTC'),
    track,
  );
}

/** One entry: a link (keyboard: Tab, Enter) with its date and summary, and its bar on the axis. */
export function itemRow(item, range, highlighted) {
  const start = Date.parse(item.occurred.start);
  const end = Date.parse(item.occurred.end ?? item.occurred.start);
  const bar = el('span', {
    class: `tl-bar status-${item.status}${item.occurred.approximate ? ' approximate' : ''}`,
    title: `${occurredLabel(item.occurred)} · ${item.status}`,
  });
  const at = position(range, start, end);
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

/** The timeline: an axis, then one list per group, its entries in timeline order. */
export function renderTimeline(container, items, { groupBy, highlighted }) {
  container.replaceChildren();
  if (items.length === 0) {
    container.append(el('p', { class: 'empty' }, 'No entry matches these filters.'));
    return;
  }
  const range = span(items);
  const groups = new Map();
  for (const item of items) {
    const group = groupOf(item, groupBy);
    if (!groups.has(group.key)) groups.set(group.key, { label: group.label, items: [] });
    groups.get(group.key).items.push(item);
  }
  const sorted = [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
  container.append(axis(range));
  for (const group of sorted) {
    container.append(
      el(
        'section',
        { class: 'tl-group' },
        el('h3', { class: 'tl-group-title' }, `${group.label} (${group.items.length})`),
        el(
          'ul',
          { class: 'tl-list' },
          group.items.map((item) => itemRow(item, range, highlighted.has(item.entryId))),
        ),
      ),
    );
  }
}
