import { getJson, timeline } from './api.js';

// The visible range of the timeline (zoom and pan), kept in the URL as `view=<start>/<end>` (ISO
// instants, UTC), apart from the filters: the filters say what matches, the view which part of
// the time axis is shown. A read asks the API for the view's part only (from/to narrowed to it).

export const DAY = 86_400_000;
const MINUTE = 60_000;
/** The narrowest view: an hour. */
const MIN_SPAN = 3_600_000;
// The API's instants run from year 0001 to 9999.
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T00:00:00Z');

/** An instant as the URL and the API take it: ISO 8601, UTC, to the second. */
export const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The view the URL asks for ({ start, end } in ms), or null: all that matches. */
export function viewOf(params) {
  const [a, b] = (params.get('view') ?? '').split('/');
  const start = Date.parse(a ?? '');
  const end = Date.parse(b ?? '');
  return Number.isFinite(start) && Number.isFinite(end) && start < end ? { start, end } : null;
}

/** A from/to filter in ms: a bare date is its UTC day (`to` includes it), as the API reads it. */
function boundMs(text, edge) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`) + (edge === 'end' ? DAY : 0);
  return Date.parse(text);
}

/** The filters narrowed to the view (null: the view and the filters' from/to do not meet). */
export function withView(filters, view) {
  if (!view) return filters;
  const out = new URLSearchParams(filters);
  const from = filters.get('from') ? Math.max(boundMs(filters.get('from'), 'start'), view.start) : view.start;
  const to = filters.get('to') ? Math.min(boundMs(filters.get('to'), 'end'), view.end) : view.end;
  if (!(from < to)) return null;
  out.set('from', iso(from));
  out.set('to', iso(to));
  return out;
}

/**
 * The timeline's read for the filters within the view: its items (up to the page's cap) and,
 * when more entries match than the cap, the histogram of the same read (server-side buckets), which
 * the zoomed-out view draws instead of items. As-of reads have no histogram: they show the first
 * items only.
 */
export async function readTimeline(filters, view) {
  const read = withView(filters, view);
  if (!read) return { items: [], position: null, truncated: false, histogram: null };
  const page = await timeline(read);
  const past = read.has('asOf') || read.has('atPosition');
  const histogram = page.truncated && !past ? await getJson(`/v1/timeline/histogram?${read}`) : null;
  return { ...page, histogram };
}

const clampSpan = (ms) => Math.min(Math.max(ms, MIN_SPAN), LATEST - EARLIEST);
const toMinute = (ms) => Math.round(ms / MINUTE) * MINUTE;

/** A range of `width` ms starting at `start`, kept within the years the API takes. */
function fitted(start, width) {
  const s = Math.min(Math.max(start, EARLIEST), LATEST - width);
  return { start: toMinute(s), end: toMinute(s + width) };
}

/** The range `factor` times as wide (below 1: zoomed in), `at` (an instant) staying where it is. */
export function zoomed(range, factor, at = (range.start + range.end) / 2) {
  const width = clampSpan((range.end - range.start) * factor);
  const share = (at - range.start) / (range.end - range.start);
  return fitted(at - width * share, width);
}

/** The range moved by `share` of its width (negative: earlier). */
export function panned(range, share) {
  const width = range.end - range.start;
  return fitted(range.start + width * share, width);
}

/** Whether a range is as narrow as a view can be (zooming in does nothing more). */
export const narrowest = (range) => range.end - range.start <= MIN_SPAN;

/**
 * Shows another view: the URL changes (a new history entry, or the current one replaced) and the
 * page routes again, as app.js does on popstate; null shows all that matches.
 */
export function showView(view, { replace = false } = {}) {
  const params = new URLSearchParams(location.search);
  if (view) params.set('view', `${iso(view.start)}/${iso(view.end)}`);
  else params.delete('view');
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ''}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new window.PopStateEvent('popstate'));
}
