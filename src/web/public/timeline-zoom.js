import { el } from './dom.js';
import { instantAt } from './timeline-axis.js';
import { narrowest, panned, showView, zoomed } from './timeline-view.js';

// Zoom and pan of the time axis: buttons, keys (+ − ← → 0 anywhere in the timeline but its form
// fields) and the wheel over the axis or the bucket chart. Each changes the `view` in the URL
// (timeline-view.js), so Back undoes it and a reload keeps it.

const ACTIONS = {
  in: { label: 'Zoom in', keys: '+', view: (r) => zoomed(r, 0.5) },
  out: { label: 'Zoom out', keys: '-', view: (r) => zoomed(r, 2) },
  earlier: { label: '← Earlier', keys: 'ArrowLeft', view: (r) => panned(r, -0.25) },
  later: { label: 'Later →', keys: 'ArrowRight', view: (r) => panned(r, 0.25) },
  all: { label: 'Whole range', keys: '0', view: () => null },
};

const KEYS = {
  '+': 'in',
  '=': 'in',
  '-': 'out',
  _: 'out',
  ArrowLeft: 'earlier',
  ArrowRight: 'later',
  0: 'all',
};

/** What the last render showed: the range drawn, and whether the URL narrows it. */
let current = null;
/** The action whose button takes the focus once the new view is drawn. */
let pendingFocus = null;
/** A wheel turn has asked for a view: further turns wait until it is drawn. */
let wheeling = false;
const bound = new WeakSet();

const disabled = (name, { range, hasView }) =>
  (name === 'in' && narrowest(range)) || (name === 'all' && !hasView);

function act(name, focus = true) {
  if (!current || disabled(name, current)) return;
  pendingFocus = focus ? name : null;
  showView(ACTIONS[name].view(current.range));
}

/** The zoom buttons and the range shown, for a render of `range`. */
export function zoomBar(range, hasView, rangeText) {
  current = { range, hasView };
  wheeling = false;
  const buttons = Object.entries(ACTIONS).map(([name, a]) =>
    el(
      'button',
      {
        type: 'button',
        class: 'tl-zoom-button',
        'data-zoom': name,
        'aria-keyshortcuts': a.keys,
        disabled: disabled(name, current),
      },
      a.label,
    ),
  );
  return el(
    'div',
    { class: 'tl-zoom', role: 'group', 'aria-label': 'Zoom and pan the time axis' },
    ...buttons,
    el('span', { class: 'tl-range', id: 'tl-range' }, rangeText),
    el('span', { class: 'tl-zoom-keys' }, 'Keys: + − ← → 0'),
  );
}

/** Puts the focus back after a render: on the action's button, if a zoom asked for it. */
export function restoreZoomFocus(container) {
  if (!pendingFocus) return false;
  const name = pendingFocus;
  pendingFocus = null;
  const button =
    container.querySelector(`[data-zoom="${name}"]:not([disabled])`) ??
    container.querySelector('[data-zoom]:not([disabled])');
  button?.focus();
  return Boolean(button);
}

const isField = (target) => target.closest?.('input, select, textarea, [contenteditable="true"]');

/** Listens on the timeline's container (once): clicks on zoom buttons and buckets, keys, wheel. */
export function bindZoom(container) {
  if (bound.has(container)) return;
  bound.add(container);
  container.addEventListener('click', (event) => {
    const button = event.target.closest?.('[data-zoom]');
    if (button) {
      act(button.dataset.zoom);
      return;
    }
    const bucket = event.target.closest?.('[data-bucket-start]');
    if (bucket) {
      pendingFocus = 'in';
      showView({ start: Date.parse(bucket.dataset.bucketStart), end: Date.parse(bucket.dataset.bucketEnd) });
    }
  });
  container.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isField(event.target)) return;
    const name = KEYS[event.key];
    if (!name) return;
    event.preventDefault();
    act(name);
  });
  container.addEventListener(
    'wheel',
    (event) => {
      const track = event.target.closest?.('.tl-axis-track, .tl-buckets');
      if (!track || !current || event.deltaY === 0 || event.ctrlKey) return;
      event.preventDefault();
      if (wheeling) return;
      const box = track.getBoundingClientRect();
      const at = instantAt(current.range, (event.clientX - box.left) / box.width);
      if (event.deltaY < 0 && narrowest(current.range)) return;
      wheeling = true;
      showView(zoomed(current.range, event.deltaY < 0 ? 0.5 : 2, at), { replace: true });
    },
    { passive: false },
  );
}
