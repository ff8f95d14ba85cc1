import { showActor } from './actor.js';
import { actorRoute } from './actor-link.js';
import { all, getJson, onKeyNeeded } from './api.js';
import { el, STATUSES } from './dom.js';
import { isPast, pastParams } from './asof.js';
import { renderEntry } from './entry.js';
import { follow } from './live.js';
import { renderMap } from './map.js';
import { readTimeline, renderTimeline, viewOf } from './timeline.js';

// The filters the timeline read takes, as they are named in the URL (the same names as the API's).
const API_FILTERS = [
  'crisis',
  'from',
  'to',
  'type',
  'actor',
  'includeMembers',
  'status',
  'minReliability',
  'place',
  'q',
  'asOf',
  'atPosition',
];

const $ = (id) => document.getElementById(id);
const form = $('filters');
const state = { items: [], highlighted: new Set(), stop: null, loadedQuery: null, openedFrom: null };

function setBusy(busy) {
  document.body.dataset.state = busy ? 'loading' : 'ready';
}

function showError(message) {
  $('count').textContent = `Could not read the chronology: ${message}`;
}

/** Asks for a key in the page (401): resolves with what the user typed; nothing is stored. */
onKeyNeeded(
  (failedBefore) =>
    new Promise((resolve) => {
      const panel = $('key-panel');
      const input = $('key-input');
      $('key-error').textContent = failedBefore ? 'That key was not accepted.' : '';
      panel.hidden = false;
      input.value = '';
      input.focus();
      $('key-form').addEventListener(
        'submit',
        (event) => {
          event.preventDefault();
          panel.hidden = true;
          resolve(input.value.trim());
          input.value = '';
        },
        { once: true },
      );
    }),
);

function urlParams() {
  return new URLSearchParams(location.search);
}

function apiFilters(params) {
  const out = new URLSearchParams();
  for (const name of API_FILTERS) {
    const value = params.get(name);
    if (value) out.set(name, value);
  }
  if (!out.get('actor')) out.delete('includeMembers');
  return out;
}

function groupBy() {
  return urlParams().get('group') === 'actor' ? 'actor' : 'type';
}

/** The form shows what the URL says (on load, reload and history moves). */
function formFromUrl() {
  const params = urlParams();
  for (const name of API_FILTERS) {
    const field = form.elements.namedItem(name);
    if (!field) continue;
    if (field.type === 'checkbox') field.checked = params.get(name) === 'true';
    else field.value = params.get(name) ?? '';
  }
  for (const radio of form.querySelectorAll('input[name="group"]')) radio.checked = radio.value === groupBy();
}

function urlFromForm() {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const name of API_FILTERS) {
    const value = String(data.get(name) ?? '').trim();
    if (value) params.set(name, value);
  }
  if (!params.get('actor')) params.delete('includeMembers');
  if (data.get('group') === 'actor') params.set('group', 'actor');
  // The zoomed view of the time axis (timeline-view.js) stays while filters change.
  if (urlParams().get('view')) params.set('view', urlParams().get('view'));
  if (data.get('show') === 'map') params.set('show', 'map');
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

function fillSelect(select, options) {
  const keep = select.value;
  select.append(...options.map(([value, label]) => el('option', { value }, label)));
  select.value = keep;
}

async function loadChoices() {
  const vocabulary = await (await fetch('/web/vocabulary.json')).json();
  fillSelect(
    $('f-type'),
    vocabulary.types.map((t) => [t, t]),
  );
  fillSelect(
    $('f-status'),
    (vocabulary.statuses ?? STATUSES).map((s) => [s, s]),
  );
  fillSelect(
    $('f-grade'),
    vocabulary.reliabilities.map((r) => [r, `${r} or better`]),
  );
  const crises = await getJson('/v1/crises');
  fillSelect(
    $('f-crisis'),
    crises.items.map((c) => [c.crisisId, c.name]),
  );
  const actors = await all('/v1/actors');
  actors.sort((a, b) => a.name.localeCompare(b.name));
  fillSelect(
    $('f-actor'),
    actors.map((a) => [a.actorId, a.name]),
  );
}

function draw() {
  renderTimeline($('timeline'), state.items, {
    groupBy: groupBy(),
    highlighted: state.highlighted,
    view: state.view,
    histogram: state.histogram,
  });
  renderMap($('map'), state.items, { highlighted: state.highlighted, query: state.loadedQuery });
  const count = state.items.length;
  $('count').textContent = state.histogram
    ? `${state.histogram.total.toLocaleString('en')} entries, counted per ${state.histogram.bucket}`
    : `${count} ${count === 1 ? 'entry' : 'entries'}${state.truncated ? ' (the first ones only)' : ''}`;
  $('count').dataset.count = String(count);
}

function byTimelineOrder(a, b) {
  return (
    Date.parse(a.occurred.start) - Date.parse(b.occurred.start) || Number(a.position) - Number(b.position)
  );
}

function onLive(event, item) {
  const at = state.items.findIndex((i) => i.entryId === item.entryId);
  if (at >= 0) state.items[at] = item;
  else state.items.push(item);
  state.items.sort(byTimelineOrder);
  state.highlighted.add(item.entryId);
  draw();
  if (!$('entry-view').hidden && location.hash === `#entry/${item.entryId}`) void showEntry(item.entryId);
}

function liveState(status) {
  const text = {
    live: 'Live: following new entries',
    reconnecting: 'Live: reconnecting…',
    closed: 'Live: stopped',
    paused: 'Live: paused while viewing the past',
  };
  $('live-status').textContent = text[status] ?? status;
  $('live-status').dataset.live = status;
}

async function loadTimeline() {
  const filters = apiFilters(urlParams());
  const view = viewOf(urlParams());
  // The view narrows the read (not the live feed, which follows the filters).
  const query = `${filters}${view ? `&view=${view.start}/${view.end}` : ''}`;
  if (state.loadedQuery === query) {
    draw();
    return;
  }
  setBusy(true);
  state.stop?.();
  try {
    const { items, position, truncated, histogram } = await readTimeline(filters, view);
    state.view = view;
    state.histogram = histogram;
    state.items = items;
    state.truncated = truncated;
    state.highlighted = new Set();
    state.loadedQuery = query;
    draw();
    const live = new URLSearchParams(filters);
    if (position) live.set('after', position);
    // As of an earlier moment there is nothing to follow: the live feed stays paused.
    if (isPast(filters)) liveState('paused');
    else state.stop = follow(`/v1/timeline/live?${live}`, onLive, liveState);
  } catch (e) {
    showError(e.message);
  } finally {
    setBusy(false);
  }
}

async function showEntry(entryId) {
  setBusy(true);
  try {
    const past = pastParams(urlParams()).toString();
    const entry = await getJson(`/v1/entries/${encodeURIComponent(entryId)}${past ? `?${past}` : ''}`);
    renderEntry($('entry'), entry, (id) => state.items.find((i) => i.entryId === id)?.summary ?? null);
  } catch (e) {
    $('entry').replaceChildren(
      el('h2', { id: 'entry-title', tabindex: '-1' }, 'Entry not available'),
      el('p', {}, e.message),
    );
  } finally {
    setBusy(false);
  }
}

/** Which view the URL asks for: `#entry/<id>` is an entry, anything else the timeline. */
async function route() {
  const actor = actorRoute(location.hash);
  $('actor-view').hidden = !actor;
  if (actor) {
    $('timeline-view').hidden = true;
    $('entry-view').hidden = true;
    setBusy(true);
    try {
      await showActor($('actor'), actor);
    } finally {
      setBusy(false);
    }
    $('actor-title')?.focus();
    document.title = `${$('actor-title')?.textContent ?? 'Actor'} — Crisis Chronology`;
    return;
  }
  const match = /^#entry\/([0-9a-f-]{36})$/i.exec(location.hash);
  $('timeline-view').hidden = Boolean(match);
  $('entry-view').hidden = !match;
  if (match) {
    await showEntry(match[1]);
    $('entry-title')?.focus();
    document.title = `${$('entry-title')?.textContent ?? 'Entry'} — Crisis Chronology`;
  } else {
    document.title = 'Crisis Chronology';
    formFromUrl();
    await loadTimeline();
    if (state.openedFrom) {
      document.querySelector(`.tl-item[data-entry-id="${state.openedFrom}"]`)?.focus();
      state.openedFrom = null;
    }
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  history.pushState(null, '', urlFromForm());
  void route();
});
for (const radio of form.querySelectorAll('input[name="group"]'))
  radio.addEventListener('change', () => {
    history.replaceState(null, '', urlFromForm());
    draw();
  });
$('timeline').addEventListener('click', (event) => {
  const link = event.target.closest?.('.tl-item');
  if (link) state.openedFrom = link.dataset.entryId;
});
$('back').addEventListener('click', () => {
  if (state.openedFrom) history.back();
  else {
    history.pushState(null, '', `${location.pathname}${location.search}`);
    void route();
  }
});
$('actor-back').addEventListener('click', () => {
  history.pushState(null, '', `${location.pathname}${location.search}`);
  void route();
});
// Fires for back/forward and for following an `#entry/…` link (a fragment navigation).
window.addEventListener('popstate', () => void route());

async function start() {
  setBusy(true);
  const legend = $('legend');
  legend.append(
    ...STATUSES.map((s) =>
      el('li', {}, el('span', { class: `swatch status-${s}`, 'aria-hidden': 'true' }), s),
    ),
  );
  try {
    await loadChoices();
  } catch (e) {
    showError(e.message);
  }
  // The timeline (and its live feed) loads first even when the page opens on an entry: Back shows
  // it at once, and the entry page names linked entries by their summaries.
  formFromUrl();
  await loadTimeline();
  await route();
}

void start();
