import { el } from './dom.js';

// Disputes, counter-claims and links drawn between the entries shown: an SVG overlay of arrows from
// bar to bar (counter-claim → the entry it counters, link from → to), with a legend and, for screen
// readers and anyone else, the same connections as a list of sentences with links to the entries.

const SVG = 'http://www.w3.org/2000/svg';

const KINDS = {
  dispute: { legend: 'counter-claim (disputes)', verb: 'disputes' },
  denial: { legend: 'denial', verb: 'denies' },
  link: { legend: 'link between entries', verb: null },
};

/** Connections among `items`, each once: { key, kind, from, to, relation? }. */
export function connectionsOf(items) {
  const shown = new Set(items.map((i) => i.entryId));
  const out = new Map();
  const add = (c) => {
    if (shown.has(c.from) && shown.has(c.to) && c.from !== c.to && !out.has(c.key)) out.set(c.key, c);
  };
  for (const item of items) {
    const counter = (from, to, how) => {
      const kind = how === 'denial' ? 'denial' : 'dispute';
      add({ key: `${kind}:${from}:${to}`, kind, from, to });
    };
    for (const c of item.counteredBy ?? []) counter(c.entryId, item.entryId, c.how);
    for (const c of item.counters ?? []) counter(item.entryId, c.entryId, c.how);
    for (const l of item.links ?? []) {
      const [from, to] = l.direction === 'out' ? [item.entryId, l.entryId] : [l.entryId, item.entryId];
      add({ key: `link:${l.linkId}`, kind: 'link', from, to, relation: l.relation });
    }
  }
  return [...out.values()];
}

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** A short line in a kind's style, for the legend. */
function sample(kind) {
  const s = svg('svg', { class: 'tl-link-sample', width: 28, height: 10, 'aria-hidden': 'true' });
  s.append(svg('line', { class: `tl-link tl-link-${kind}`, x1: 1, y1: 5, x2: 27, y2: 5 }));
  return s;
}

const phrase = (relation) => relation.replace(/-/g, ' ');

/** The legend of the kinds drawn, and the connections as sentences (in a disclosure). */
export function connectionsText(connections, summaryOf) {
  if (connections.length === 0) return null;
  const kinds = [...new Set(connections.map((c) => c.kind))];
  const entryLink = (id) => {
    const summary = summaryOf(id);
    const short = summary.length > 90 ? `${summary.slice(0, 89)}…` : summary;
    return el('a', { href: `#entry/${id}`, class: 'tl-connection-entry', title: summary }, `“${short}”`);
  };
  return el(
    'div',
    { class: 'tl-connections' },
    el(
      'ul',
      { class: 'legend tl-link-legend', 'aria-label': 'Lines between entries' },
      kinds.map((k) => el('li', {}, sample(k), KINDS[k].legend)),
    ),
    el(
      'details',
      { class: 'tl-connection-list' },
      el('summary', {}, `Disputes and links between the entries shown (${connections.length})`),
      el(
        'ul',
        {},
        connections.map((c) =>
          el(
            'li',
            { 'data-connection': c.key },
            entryLink(c.from),
            ` ${c.kind === 'link' ? phrase(c.relation) : KINDS[c.kind].verb} `,
            entryLink(c.to),
          ),
        ),
      ),
    ),
  );
}

function markers() {
  const defs = svg('defs');
  for (const kind of Object.keys(KINDS)) {
    const marker = svg('marker', {
      id: `tl-arrow-${kind}`,
      viewBox: '0 0 8 8',
      refX: 7,
      refY: 4,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: `tl-arrow tl-arrow-${kind}` }));
    defs.append(marker);
  }
  return defs;
}

/** The middle of an entry's bar, relative to `box`, kept within its track (a bar may reach outside). */
function anchor(container, entryId, box) {
  const bar = container.querySelector(`.tl-item[data-entry-id="${entryId}"] .tl-bar`);
  if (!bar) return null;
  const r = bar.getBoundingClientRect();
  const track = bar.parentElement.getBoundingClientRect();
  if (track.width === 0) return null;
  const x = Math.min(Math.max(r.left + r.width / 2, track.left), track.right);
  return {
    x: x - box.left,
    y: r.top + r.height / 2 - box.top,
    mid: (track.left + track.right) / 2 - box.left,
  };
}

/** Draws the connections over the container's rows (again whenever its size changes). */
export function drawConnections(container, connections) {
  container.querySelector('svg.tl-links')?.remove();
  if (connections.length === 0) return;
  const box = container.getBoundingClientRect();
  const overlay = svg('svg', {
    class: 'tl-links',
    width: Math.ceil(box.width),
    height: Math.ceil(container.scrollHeight),
    'aria-hidden': 'true',
  });
  overlay.append(markers());
  const pairs = new Map();
  for (const c of connections) {
    const a = anchor(container, c.from, box);
    const b = anchor(container, c.to, box);
    if (!a || !b) continue;
    // Arcs bow towards the middle of the track; a pair drawn both ways bows twice as far the second time.
    const pair = [c.from, c.to].sort().join(' ');
    const nth = (pairs.get(pair) ?? 0) + 1;
    pairs.set(pair, nth);
    const side = (a.x + b.x) / 2 > a.mid ? -1 : 1;
    const bow = side * nth * Math.min(90, 18 + Math.abs(b.y - a.y) * 0.25);
    const path = svg('path', {
      class: `tl-link tl-link-${c.kind}`,
      d: `M${a.x},${a.y} C${a.x + bow},${a.y} ${b.x + bow},${b.y} ${b.x},${b.y}`,
      'marker-end': `url(#tl-arrow-${c.kind})`,
      'data-kind': c.kind,
      'data-from': c.from,
      'data-to': c.to,
    });
    overlay.append(path);
  }
  container.append(overlay);
}

const observed = new WeakMap();

/** Keeps the drawing in step with the container's size (a resize, or the view shown again). */
export function followSize(container, connections) {
  let entry = observed.get(container);
  if (!entry) {
    entry = { connections, width: -1, height: -1 };
    const observer = new window.ResizeObserver(() => {
      const { width, height } = container.getBoundingClientRect();
      if (width === entry.width && height === entry.height) return;
      entry.width = width;
      entry.height = height;
      drawConnections(container, entry.connections);
    });
    observer.observe(container);
    observed.set(container, entry);
  }
  entry.connections = connections;
}
