import { getJson } from './api.js';
import { el, instantLabel } from './dom.js';

// The "as of" picker: the chronology as it was known at an earlier moment of transaction time
// (`asOf`, an instant) or right after a log position (`atPosition`). Both are kept in the URL with the
// other filters, so a past view can be shared and reloaded; the reads carry them to the API.

export const AS_OF_PARAMS = ['asOf', 'atPosition'];

/** The as-of parameters of a URL query (at most one of the two), as a query of their own. */
export function pastParams(params) {
  const out = new URLSearchParams();
  const position = params.get('atPosition');
  const instant = params.get('asOf');
  if (position) out.set('atPosition', position);
  else if (instant) out.set('asOf', instant);
  return out;
}

/** Whether the URL asks for the chronology as it was (rather than as it is now). */
export function isPast(params = new URLSearchParams(location.search)) {
  return pastParams(params).toString() !== '';
}

/** `2022-02-17T06:30` (a datetime-local value, in the user's zone) for an ISO instant. */
function localInputValue(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * Moves to `search` (the URL query) and lets the page route again: app.js routes on popstate, the
 * same event that Back and Forward fire.
 */
function go(search) {
  const query = search.toString();
  history.pushState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  window.dispatchEvent(new window.PopStateEvent('popstate'));
}

/** Back to the chronology as it is now: the same filters and view without the as-of parameters. */
export function backToNow() {
  const params = new URLSearchParams(location.search);
  for (const name of AS_OF_PARAMS) params.delete(name);
  go(params);
}

function pickerForm() {
  const instant = el('input', { id: 'asof-instant', name: 'asOfLocal', type: 'datetime-local', step: '1' });
  const position = el('input', {
    id: 'asof-position',
    name: 'atPosition',
    type: 'text',
    inputmode: 'numeric',
    pattern: '[0-9]+',
    size: '8',
    'aria-describedby': 'asof-hint',
  });
  const error = el('p', { id: 'asof-error', class: 'error', role: 'alert' });
  const form = el(
    'form',
    { id: 'asof-form', class: 'asof-form', 'aria-labelledby': 'asof-title', novalidate: true },
    el('h3', { id: 'asof-title' }, 'As of'),
    el(
      'p',
      { id: 'asof-hint', class: 'hint' },
      'Show the chronology as it was recorded at a moment (your time zone) or right after a log position. Fill in one of the two.',
    ),
    el('label', { for: 'asof-instant' }, 'Recorded by'),
    instant,
    el('label', { for: 'asof-position' }, 'or at log position'),
    position,
    el('button', { type: 'submit', id: 'asof-apply' }, 'Show as of then'),
    el('button', { type: 'button', id: 'asof-now-picker' }, 'Back to now'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const at = position.value.trim();
    const when = instant.value;
    error.textContent = '';
    if (at && !/^[0-9]+$/.test(at)) {
      error.textContent = 'Log position: a whole number, such as 42.';
      position.focus();
      return;
    }
    if (!at && !when) {
      error.textContent = 'Choose a moment or a log position.';
      instant.focus();
      return;
    }
    const params = new URLSearchParams(location.search);
    for (const name of AS_OF_PARAMS) params.delete(name);
    // A position is the more exact of the two: it wins when both are filled in.
    if (at) params.set('atPosition', at);
    // datetime-local has no zone: Date reads it in the user's zone, and the API gets UTC.
    else params.set('asOf', new Date(when).toISOString());
    go(params);
  });
  form.querySelector('#asof-now-picker').addEventListener('click', backToNow);
  return form;
}

/** The picker shows what the URL says. */
function pickerFromUrl() {
  const params = pastParams(new URLSearchParams(location.search));
  const instant = document.getElementById('asof-instant');
  const position = document.getElementById('asof-position');
  if (!instant || !position) return;
  position.value = params.get('atPosition') ?? '';
  instant.value = params.get('asOf') ? localInputValue(params.get('asOf')) : '';
  document.getElementById('asof-now-picker').disabled = params.toString() === '';
}

/** What the API resolved the as-of parameters to: the last event recorded then, and its time. */
async function resolved(params) {
  const query = new URLSearchParams(params);
  query.set('limit', '1');
  const page = await getJson(`/v1/timeline?${query}`);
  return page.asOf ?? null;
}

/** An instant from the URL in UTC, or as written when it is not one. */
function instantText(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : instantLabel(date.toISOString());
}

let shown = '';

/** The banner over both views: which moment is shown, that live updates are paused, the way back. */
async function showBanner() {
  const banner = document.getElementById('asof-banner');
  if (!banner) return;
  const params = pastParams(new URLSearchParams(location.search));
  const key = params.toString();
  if (key === shown) return;
  shown = key;
  if (!key) {
    banner.hidden = true;
    banner.replaceChildren();
    document.body.classList.remove('as-of');
    return;
  }
  const asked = params.get('atPosition')
    ? `log position ${params.get('atPosition')}`
    : instantText(params.get('asOf'));
  const text = el('span', { id: 'asof-text' }, `As of ${asked}, live updates paused.`);
  const back = el('button', { type: 'button', id: 'asof-now' }, 'Back to now');
  back.addEventListener('click', backToNow);
  banner.replaceChildren(text, ' ', back);
  banner.hidden = false;
  document.body.classList.add('as-of');
  try {
    const at = await resolved(params);
    if (shown !== key) return;
    text.textContent = at?.position
      ? `As of ${asked}: the chronology after log position ${at.position}, recorded ${instantLabel(at.recordedAt)}. Live updates paused.`
      : `As of ${asked}: nothing had been recorded yet. Live updates paused.`;
  } catch (e) {
    if (shown === key) text.textContent = `As of ${asked} (${e.message}). Live updates paused.`;
  }
}

function sync() {
  pickerFromUrl();
  void showBanner();
}

// Built once the module loads (module scripts run after the document is parsed).
document.getElementById('asof')?.replaceChildren(pickerForm());
window.addEventListener('popstate', sync);
sync();
