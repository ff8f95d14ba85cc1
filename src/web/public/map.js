import { el } from './dom.js';
import { attachControls, ZOOM_STEP } from './map-controls.js';
import { clampView, countryOutlines, fitView, OUTLINE_SCALE, toScreen, zoomAt } from './map-geo.js';
import { groupItems, markerOf, placeLabel, signature, summaryText, updateRows } from './map-markers.js';
import { placesOf } from './map-places.js';
import { syncShowSwitch } from './map-switch.js';

// The map view of the timeline's filtered items: country outlines in SVG, and over them one HTML
// marker per point (a link to the entry, or a button listing the entries at that point), coloured
// by status with the page's status classes. Zoom and pan: the + / − / Fit buttons, the keys + - 0
// and arrows on the map, the mouse wheel and dragging.

const SVG = 'http://www.w3.org/2000/svg';

const map = {
  container: null,
  parts: null,
  items: [],
  highlighted: new Set(),
  query: undefined,
  view: null,
  moved: false, // the user zoomed or panned: new data keeps the view instead of fitting it again
  places: null,
  stale: true, // items changed while the map was hidden
  markers: [], // { group, node }
  frame: 0,
  size: [0, 0], // the stage's, in pixels
};

const svgEl = (tag, attributes = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
};

function build(container) {
  const zoomIn = el('button', { type: 'button', class: 'map-zoom-in', 'aria-label': 'Zoom in' }, '+');
  const zoomOut = el('button', { type: 'button', class: 'map-zoom-out', 'aria-label': 'Zoom out' }, '−');
  const fit = el('button', { type: 'button', class: 'map-fit' }, 'Fit to the entries');
  const countries = svgEl('g', { class: 'map-countries' });
  const svg = svgEl('svg', { class: 'map-outlines', 'aria-hidden': 'true', focusable: 'false' });
  svg.append(countries);
  const list = el('ul', { class: 'map-markers', 'aria-label': 'Places on the map' });
  const stage = el(
    'div',
    {
      class: 'map-stage',
      tabindex: '0',
      role: 'region',
      'aria-label': 'Map. Keys: + and − zoom, arrows pan, 0 fits the view to the entries.',
      'aria-describedby': 'map-summary',
    },
    svg,
    list,
  );
  const groupTitle = el('h4', { id: 'map-list-title', tabindex: '-1' });
  const closeList = el('button', { type: 'button', class: 'map-list-close' }, 'Close');
  const groupPanel = el(
    'section',
    { id: 'map-list', class: 'map-list', hidden: true, 'aria-labelledby': 'map-list-title' },
    el('div', { class: 'map-list-head' }, groupTitle, closeList),
    el('ul', { class: 'map-list-items' }),
  );
  container.replaceChildren(
    el(
      'div',
      { class: 'map-head' },
      el('h3', { id: 'map-title' }, 'Map of the located entries'),
      el('div', { class: 'map-controls', role: 'group', 'aria-label': 'Map zoom' }, zoomIn, zoomOut, fit),
    ),
    el('p', { id: 'map-summary', class: 'map-summary' }),
    el('div', { class: 'map-frame' }, stage, groupPanel),
  );
  const parts = {
    stage,
    svg,
    countries,
    list,
    groupPanel,
    groupTitle,
    summary: container.querySelector('#map-summary'),
  };

  zoomIn.addEventListener('click', () => zoomBy(ZOOM_STEP));
  zoomOut.addEventListener('click', () => zoomBy(1 / ZOOM_STEP));
  fit.addEventListener('click', fitAgain);
  attachControls(stage, { zoomBy, panBy, fit: fitAgain });
  list.addEventListener('click', (event) => {
    const button = event.target.closest?.('button.map-group');
    if (button) openGroup(button);
  });
  closeList.addEventListener('click', () => closeGroup(true));
  groupPanel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeGroup(true);
  });
  // The stage's size is read here only, so that laying out markers never forces a layout.
  new ResizeObserver(([entry]) => {
    map.size = [entry.contentRect.width, entry.contentRect.height];
    if (!map.moved) fitToPlaces();
    else schedule();
  }).observe(stage);
  return parts;
}

function size() {
  return map.size;
}

function fitToPlaces() {
  const [width, height] = size();
  if (!width || !map.places) return;
  map.view = fitView(
    map.places.groups.map((g) => g.world),
    width,
    height,
  );
  schedule();
}

/** Back to the view fitted to the entries, kept as new data arrives. */
function fitAgain() {
  map.moved = false;
  fitToPlaces();
}

function zoomBy(factor, at) {
  const [width, height] = size();
  if (!map.view || !width) return;
  map.view = zoomAt(map.view, factor, width, height, at ?? [width / 2, height / 2]);
  map.moved = true;
  schedule();
}

function panBy(dx, dy) {
  const [width] = size();
  if (!map.view || !width) return;
  map.view = clampView(
    { ...map.view, x: map.view.x + dx / map.view.k, y: map.view.y + dy / map.view.k },
    width,
  );
  map.moved = true;
  schedule();
}

/** Lays out outlines and markers for the current view, once per animation frame at most. */
function schedule() {
  if (map.frame) return;
  map.frame = requestAnimationFrame(() => {
    map.frame = 0;
    place();
  });
}

function place() {
  const [width, height] = size();
  if (!width || !map.view) return;
  const { stage, countries } = map.parts;
  const { k, x, y } = map.view;
  countries.setAttribute(
    'transform',
    `translate(${width / 2 - x * k} ${height / 2 - y * k}) scale(${k / OUTLINE_SCALE})`,
  );
  for (const marker of map.markers) {
    const [px, py] = toScreen(map.view, width, height, marker.group.world);
    const outside = px < -12 || py < -12 || px > width + 12 || py > height + 12;
    // Markers out of view leave the Tab order too. Only what changed is written.
    if (marker.node.hidden !== outside) marker.node.hidden = outside;
    const at = `${px.toFixed(1)},${py.toFixed(1)}`;
    if (outside || marker.at === at) continue;
    marker.at = at;
    marker.node.style.left = `${px.toFixed(1)}px`;
    marker.node.style.top = `${py.toFixed(1)}px`;
  }
  stage.dataset.zoom = (k / width).toFixed(3);
  stage.dataset.centre = `${x.toFixed(4)},${y.toFixed(4)}`;
}

async function drawOutlines() {
  if (map.parts.countries.childElementCount) return;
  try {
    const countries = await countryOutlines();
    if (map.parts.countries.childElementCount) return;
    map.parts.countries.append(
      ...countries.map((c) =>
        svgEl('path', {
          class: 'map-country',
          d: c.d,
          'data-name': c.name,
          'vector-effect': 'non-scaling-stroke',
        }),
      ),
    );
    map.container.dataset.outlines = String(countries.length);
  } catch (e) {
    map.parts.summary.append(` The country outlines could not be read (${e.message}).`);
  }
}

/** Lists the entries of the group whose marker is `button` in the panel beside the map. */
function fillGroup(button) {
  const group = map.places?.groups.find((g) => g.key === button.dataset.key);
  if (!group) return false;
  const { groupPanel, groupTitle } = map.parts;
  for (const other of map.parts.list.querySelectorAll('button[aria-expanded="true"]'))
    if (other !== button) other.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-expanded', 'true');
  groupTitle.textContent = `${group.members.length} entries at ${placeLabel(group)}`;
  groupPanel.querySelector('.map-list-items').replaceChildren(...groupItems(group));
  groupPanel.dataset.key = group.key;
  return true;
}

function openGroup(button) {
  if (!fillGroup(button)) return;
  map.parts.groupPanel.hidden = false;
  map.parts.groupPanel.querySelector('a')?.focus();
}

function closeGroup(returnFocus) {
  const { groupPanel, list } = map.parts;
  if (groupPanel.hidden) return;
  groupPanel.hidden = true;
  const opener = list.querySelector('button[aria-expanded="true"]');
  opener?.setAttribute('aria-expanded', 'false');
  if (returnFocus) (opener ?? map.parts.stage).focus();
}

/** Builds the markers for the items and lays them out (fitting the view unless the user moved it). */
function update() {
  const { list, summary, groupPanel } = map.parts;
  const places = placesOf(map.items);
  map.places = places;
  const kept = new Map(map.markers.map((m) => [m.signature, m]));
  map.markers = places.groups.map((group) => {
    const sign = signature(group, map.highlighted);
    const old = kept.get(sign);
    if (old) return Object.assign(old, { group });
    return { group, signature: sign, node: markerOf(group, map.highlighted), at: null };
  });
  const focused = document.activeElement?.closest?.('.map-marker')?.dataset.key;
  updateRows(
    list,
    map.markers.map(({ node }) => node.parentElement ?? el('li', {}, node)),
  );
  if (focused && !document.activeElement?.closest?.('.map-marker'))
    list.querySelector(`.map-marker[data-key="${focused}"]`)?.focus();
  summary.textContent = summaryText(places, map.items.length);
  map.container.dataset.markers = String(places.markers);
  map.container.dataset.unlocated = String(places.unlocated);
  if (!groupPanel.hidden) {
    const opener = list.querySelector(`button.map-group[data-key="${groupPanel.dataset.key}"]`);
    if (opener) fillGroup(opener);
    else closeGroup(false);
  }
  if (!map.moved || !map.view) fitToPlaces();
  else schedule();
  void drawOutlines();
}

/**
 * Shows `items` on the map in `container` (when it is visible; a hidden map is brought up to date
 * when shown). A new `query` (other filters) fits the view again; live updates of the same query
 * keep a view the user zoomed or panned.
 */
export function renderMap(container, items, { highlighted = new Set(), query } = {}) {
  if (map.container !== container) {
    map.container = container;
    map.parts = build(container);
  }
  map.items = items;
  map.highlighted = highlighted;
  if (query !== map.query) {
    map.query = query;
    map.moved = false;
    closeGroup(false);
  }
  map.stale = true;
  syncShowSwitch(container, mapShown);
  mapShown();
}

/** Brings the map up to date when it is visible (a hidden map waits until it is shown). */
function mapShown() {
  if (map.stale && !map.container.hidden) {
    map.stale = false;
    update();
  }
}
