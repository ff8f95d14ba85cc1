import { actorLink } from './actor-link.js';
import { el, MONTHS } from './dom.js';

// An actor's relations over time: a list ordered by when each began (the readable form, for every
// reader and screen reader), and beside it a small period chart of the same rows, drawn in SVG
// (attributes only, which the page's CSP allows) and hidden from assistive technology.

const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86_400_000;
const VERBS = {
  'member-of': 'member of',
  commands: 'commands',
  recognises: 'recognises',
  'does-not-recognise': 'does not recognise',
  parent: 'part of',
};

/** A relation's bound (UTC) as a date, with the time only when it is not midnight. */
export function boundLabel(iso) {
  const d = new Date(iso);
  const date = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return iso.slice(11, 19) === '00:00:00' ? date : `${date} ${iso.slice(11, 16)} UTC`;
}

function periodLabel(from, to) {
  if (from && to) return `${boundLabel(from)} – ${boundLabel(to)}`;
  if (from) return `since ${boundLabel(from)}`;
  if (to) return `until ${boundLabel(to)}`;
  return 'no period stated';
}

/**
 * Every relation of the actor as one row { subject, verb, object, from, to, sourceId, note }: those
 * it states, those stated of it, and the parent and memberships it was registered with (no period).
 */
export function relationRows(actor, names) {
  const self = { actorId: actor.actorId, name: actor.name };
  const named = (actorId, name) => ({ actorId, name: name ?? names.get(actorId) ?? actorId });
  const rows = [
    ...(actor.relations ?? []).map((r) => ({ ...r, subject: self, object: named(r.toActorId, r.name) })),
    ...(actor.relatedBy ?? []).map((r) => ({ ...r, subject: named(r.actorId, r.name), object: self })),
    ...(actor.parentId ? [{ relation: 'parent', subject: self, object: named(actor.parentId) }] : []),
    ...(actor.memberOf ?? []).map((id) => ({ relation: 'member-of', subject: self, object: named(id) })),
  ].map((r) => ({
    subject: r.subject,
    verb: VERBS[r.relation] ?? r.relation,
    object: r.object,
    from: r.validFrom ?? null,
    to: r.validTo ?? null,
    sourceId: r.sourceId ?? null,
    note: r.note ?? null,
  }));
  // In time: rows with no start first (they held from before anything dated), then by start.
  return rows.sort(
    (a, b) =>
      (a.from === null ? -Infinity : Date.parse(a.from)) -
        (b.from === null ? -Infinity : Date.parse(b.from)) || a.object.name.localeCompare(b.object.name),
  );
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Year ticks (or month ticks under two years) across [min, max], about six of them. */
function ticks(min, max) {
  const out = [];
  const years = (max - min) / (365.25 * DAY);
  if (years >= 2) {
    const step = Math.max(1, Math.ceil(years / 6));
    for (let y = new Date(min).getUTCFullYear() + 1; Date.UTC(y, 0, 1) <= max; y += step)
      out.push({ at: Date.UTC(y, 0, 1), label: String(y) });
  } else {
    const months = Math.max(1, Math.ceil((years * 12) / 6));
    const start = new Date(min);
    for (let m = start.getUTCMonth() + 1; ; m += months) {
      const at = Date.UTC(start.getUTCFullYear(), m, 1);
      if (at > max) break;
      const d = new Date(at);
      out.push({ at, label: `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}` });
    }
  }
  return out;
}

/** The period chart: one bar per row; an open end runs to the chart's edge and is marked open. */
function periodChart(rows) {
  const dated = rows
    .flatMap((r) => [r.from, r.to])
    .filter(Boolean)
    .map(Date.parse);
  if (dated.length === 0) return null;
  const pad = Math.max((Math.max(...dated) - Math.min(...dated)) * 0.08, 180 * DAY);
  const min = Math.min(...dated) - pad;
  const max = Math.max(...dated) + pad;
  const [left, right, rowHeight, top] = [250, 700, 24, 22];
  const x = (ms) => left + ((ms - min) / (max - min)) * (right - left);
  const height = top + rows.length * rowHeight + 4;
  const chart = svg('svg', {
    class: 'relation-chart',
    viewBox: `0 0 ${right + 10} ${height}`,
    'aria-hidden': 'true',
    focusable: 'false',
  });
  for (const tick of ticks(min, max)) {
    chart.append(
      svg('line', { class: 'rc-grid', x1: x(tick.at), x2: x(tick.at), y1: top - 4, y2: height }),
      svg('text', { class: 'rc-tick', x: x(tick.at), y: 12, 'text-anchor': 'middle' }, tick.label),
    );
  }
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const label = `${row.subject.name} ${row.verb} ${row.object.name}`;
    const start = row.from ? x(Date.parse(row.from)) : left;
    const end = row.to ? x(Date.parse(row.to)) : right;
    const open = `${row.from ? '' : ' open-start'}${row.to ? '' : ' open-end'}`;
    chart.append(
      svg(
        'text',
        { class: 'rc-label', x: 0, y: y + 15 },
        label.length > 38 ? `${label.slice(0, 37)}…` : label,
      ),
      svg('rect', {
        class: `rc-bar${row.from || row.to ? '' : ' undated'}${open}`,
        x: start,
        y: y + 5,
        width: Math.max(end - start, 3),
        height: rowHeight - 10,
        rx: 2,
      }),
    );
  });
  return chart;
}

/** The relations part of the actor page, or a sentence saying there are none. */
export function relationsPart(actor, names) {
  const rows = relationRows(actor, names);
  const body =
    rows.length === 0
      ? [el('p', { class: 'empty' }, 'No relation stated.')]
      : [
          el(
            'ol',
            { class: 'relations', 'aria-label': 'Relations, in the order they began' },
            rows.map((r) =>
              el(
                'li',
                { class: 'relation' },
                actorLink(r.subject),
                ` ${r.verb} `,
                actorLink(r.object),
                ' · ',
                el('span', { class: 'period' }, periodLabel(r.from, r.to)),
                r.sourceId ? ` · source ${r.sourceId}` : '',
                r.note ? el('span', { class: 'note' }, ` · ${r.note}`) : '',
              ),
            ),
          ),
          periodChart(rows),
        ];
  return el('section', { class: 'entry-part actor-relations' }, el('h3', {}, 'Relations over time'), ...body);
}
