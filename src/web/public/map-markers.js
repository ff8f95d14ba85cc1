import { el, occurredLabel, STATUSES } from './dom.js';
import { statusCounts } from './map-places.js';

// What the map draws for its points: the markers, the list of a group's entries, the summary.

export function placeLabel(group, roles = []) {
  const name = group.names.join(' / ') || `${group.lat.toFixed(2)}, ${group.lon.toFixed(2)}`;
  return roles.length && !(roles.length === 1 && roles[0] === 'where')
    ? `${name} (${roles.join(', ')})`
    : name;
}

function entryLine({ item, roles }, group) {
  return `${placeLabel(group, roles)}: ${occurredLabel(item.occurred)}, ${item.status}. ${item.summary}`;
}

/** The marker of one point: a link to its entry, or, for several entries, a button listing them. */
export function markerOf(group, highlighted) {
  const isNew = group.members.some(({ item }) => highlighted.has(item.entryId));
  const counts = statusCounts(group, STATUSES);
  const statusClass = counts.length === 1 ? ` status-${counts[0][0]}` : '';
  if (group.members.length === 1) {
    const member = group.members[0];
    const line = entryLine(member, group);
    return el('a', {
      class: `map-marker${statusClass}${isNew ? ' is-new' : ''}`,
      href: `#entry/${member.item.entryId}`,
      'data-entry-id': member.item.entryId,
      'data-key': group.key,
      'data-count': '1',
      title: line,
      'aria-label': isNew ? `New: ${line}` : line,
    });
  }
  const n = group.members.length;
  const mix = counts.map(([status, c]) => `${c} ${status}`).join(', ');
  const label = `${n} entries at ${placeLabel(group)} (${mix})`;
  const button = el(
    'button',
    {
      type: 'button',
      class: `map-marker map-group${statusClass}${isNew ? ' is-new' : ''}`,
      'data-count': String(n),
      'data-key': group.key,
      title: label,
      'aria-label': isNew ? `${label}, with new entries` : label,
      'aria-expanded': 'false',
      'aria-controls': 'map-list',
    },
    el('span', { 'aria-hidden': 'true' }, String(n)),
  );
  if (counts.length > 1) {
    // Several statuses: a pie of their shares, in the statuses' own colours.
    let at = 0;
    const stops = counts.map(([status, c]) => {
      const from = at;
      at += (c / n) * 100;
      return `var(--${status}) ${from}% ${at}%`;
    });
    button.style.background = `conic-gradient(${stops.join(', ')})`;
  }
  return button;
}

/** The entries of a group, as the list the group's marker opens: each a link to its entry. */
export function groupItems(group) {
  return group.members.map((member) =>
    el(
      'li',
      {},
      el(
        'a',
        { href: `#entry/${member.item.entryId}`, 'data-entry-id': member.item.entryId },
        el('span', { class: `badge status-${member.item.status}` }, member.item.status),
        ' ',
        el('time', { datetime: member.item.occurred.start }, occurredLabel(member.item.occurred)),
        member.roles.length && member.roles.join() !== 'where' ? ` (${member.roles.join(', ')})` : '',
        ' ',
        member.item.summary,
      ),
    ),
  );
}

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** "6 markers at 5 places for 5 entries. 29 entries have no coordinates (12 of them …) and are not drawn." */
export function summaryText({ groups, markers, unlocated, named }, total) {
  const located = total - unlocated;
  const parts = [
    `${count(markers, 'marker', 'markers')} at ${count(groups.length, 'place', 'places')} for ${count(located, 'entry', 'entries')}.`,
  ];
  if (unlocated > 0) {
    const naming = named
      ? ` (${named} of them ${named === 1 ? 'names a place' : 'name places'} without coordinates)`
      : '';
    const verbs = unlocated === 1 ? ['has', 'is'] : ['have', 'are'];
    parts.push(
      `${count(unlocated, 'entry', 'entries')} ${verbs[0]} no coordinates${naming} and ${verbs[1]} not drawn.`,
    );
  }
  if (groups.some((g) => g.members.length > 1)) parts.push('A number is several entries at one place.');
  return parts.join(' ');
}

/** Makes `list`'s children `rows`, in order, moving only what changed (a live update adds one). */
export function updateRows(list, rows) {
  const wanted = new Set(rows);
  for (const row of [...list.children]) if (!wanted.has(row)) row.remove();
  rows.forEach((row, i) => {
    if (list.children[i] !== row) list.insertBefore(row, list.children[i] ?? null);
  });
}

/**
 * What a marker shows: its point, its entries with their revisions and statuses, which are new.
 * A marker whose signature did not change is kept as it is (a live update touches one marker).
 */
export function signature(group, highlighted) {
  const members = group.members.map(
    ({ item, roles }) =>
      `${item.entryId}:${item.revision}:${item.status}:${roles}:${highlighted.has(item.entryId)}`,
  );
  return `${group.key}|${group.names.join('/')}|${members.join(',')}`;
}
