import { el } from './dom.js';

// What the follow-up forms share: labelled controls, the list of problems shown next to a form
// (found by the page before posting, or named by the API's problem+json answer), and event ids.

/** A labelled control with an optional hint (tied to it by aria-describedby). */
export function field(label, control, hint) {
  const hintId = hint ? `${control.id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return el(
    'div',
    { class: 'fu-field' },
    el('label', { for: control.id }, label),
    control,
    hint ? el('p', { id: hintId, class: 'hint' }, hint) : null,
  );
}

export function select(id, name, options, { required = false } = {}) {
  return el(
    'select',
    { id, name, required },
    options.map(([value, label]) => el('option', { value }, label)),
  );
}

/** Replaces a select's options, keeping the chosen value when it is still offered. */
export function setOptions(control, options) {
  const keep = control.value;
  control.replaceChildren(...options.map(([value, label]) => el('option', { value }, label)));
  if (options.some(([value]) => value === keep)) control.value = keep;
}

/** The name of the form control a problem's path points at: `data.changes.occurred.start` → occurred. */
function controlName(path) {
  const parts = String(path ?? '')
    .split('.')
    .filter((p) => p !== 'data' && p !== 'changes');
  return parts[0] ?? null;
}

function labelOf(form, control) {
  return form.querySelector(`label[for="${control.id}"]`)?.textContent ?? control.name;
}

/** Clears the problems shown for a form and the invalid marks on its controls. */
export function clearProblems(form) {
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  const list = form.querySelector('.fu-problems');
  list.replaceChildren();
  list.hidden = true;
}

/**
 * Shows problems next to the form: each names the control it is about (by its label) and marks it
 * invalid; focus goes to the first such control, or to the list when none is named.
 */
export function showProblems(form, problems, heading) {
  const list = form.querySelector('.fu-problems');
  const items = [];
  let first = null;
  for (const problem of problems) {
    const name = problem.field ?? controlName(problem.path);
    const control = name ? form.elements.namedItem(name) : null;
    if (control instanceof window.Element) {
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
      items.push(el('li', { 'data-field': name }, `${labelOf(form, control)}: ${problem.message}`));
    } else items.push(el('li', {}, problem.message));
  }
  list.replaceChildren(el('p', {}, heading), el('ul', {}, items));
  list.hidden = false;
  (first ?? list).focus();
}

/** The problems of a refused post, from its problem+json document when there is one. */
export function problemsOf(error) {
  const problem = error.problem;
  if (problem?.errors?.length) return problem.errors.map((e) => ({ path: e.path, message: e.message }));
  return [{ path: null, message: problem?.detail ?? error.message }];
}

/** The title of a refused post ("Validation failed", "Rule violated"), for the list's heading. */
export function refusal(error) {
  return `Not recorded: ${error.problem?.title ?? 'the service refused it'} (${error.status ?? 'no answer'}).`;
}

/** A client-chosen event id makes a retried post harmless; without crypto.randomUUID the server picks. */
export function newEventId() {
  return globalThis.crypto?.randomUUID?.();
}

/** An http(s) URL, or null. */
export function httpUrl(value) {
  try {
    const url = new window.URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The part each form ends with: its problems (an alert) and its submit button. */
export function formEnd(label) {
  return [
    el('div', { class: 'fu-problems', role: 'alert', tabindex: '-1', hidden: true }),
    el('button', { type: 'submit' }, label),
  ];
}
