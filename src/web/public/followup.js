import { all, getJson, postJson } from './api.js';
import { el } from './dom.js';
import {
  clearProblems,
  field,
  formEnd,
  httpUrl,
  newEventId,
  problemsOf,
  refusal,
  select,
  setOptions,
  showProblems,
} from './followup-form.js';

// Follow-ups posted from the entry page by an editor: a corroboration (another source carries the
// claim), a dispute (of the whole entry or of one field, with the alternative given) and a
// correction of chosen fields. Each form is checked in the page first; what the API still refuses is
// shown next to the form, naming the field. A 401/403 makes postJson ask for a key and retry.

let choices = null;

/** Sources, actors and the fields a dispute can name (from the event catalogue), read once. */
function loadChoices() {
  choices ??= Promise.all([getJson('/v1/sources'), all('/v1/actors'), getJson('/v1/event-types')]).then(
    ([sources, actors, types]) => ({
      sources: sources.items
        .map((s) => [s.sourceId, `${s.name}${s.reliability ? ` (${s.reliability})` : ''}`])
        .sort((a, b) => a[1].localeCompare(b[1])),
      actors: actors.map((a) => [a.actorId, a.name]).sort((a, b) => a[1].localeCompare(b[1])),
      fields: types.items.find((t) => t.type === 'EntryDisputed')?.schema?.properties?.field?.enum ?? [],
    }),
  );
  choices.catch(() => {
    choices = null; // read again when the next entry page opens
  });
  return choices;
}

const text = (form, name) => String(form.elements.namedItem(name)?.value ?? '').trim();

function corroborateForm(entry) {
  const form = el(
    'form',
    { id: 'fu-corroborate-form', novalidate: true },
    field('Source that carries it too', select('fu-c-source', 'sourceId', [['', 'Loading sources…']])),
    field('Link to its report (optional)', el('input', { id: 'fu-c-url', name: 'url', type: 'url' })),
    field('Note (optional)', el('textarea', { id: 'fu-c-note', name: 'note', rows: '2', maxlength: '1000' })),
    formEnd('Post the corroboration'),
  );
  const build = () => {
    const problems = [];
    const data = { entryId: entry.entryId, sourceId: text(form, 'sourceId') };
    if (!data.sourceId) problems.push({ field: 'sourceId', message: 'choose the source' });
    const url = text(form, 'url');
    if (url && !httpUrl(url)) problems.push({ field: 'url', message: 'an http or https address' });
    else if (url) data.url = httpUrl(url);
    if (text(form, 'note')) data.note = text(form, 'note');
    return { type: 'EntryCorroborated', data, problems, done: 'Corroboration recorded' };
  };
  const fill = ({ sources }) =>
    setOptions(form.elements.namedItem('sourceId'), [
      ['', 'Choose a source'],
      ...sources.filter(([id]) => id !== entry.source?.sourceId),
    ]);
  return { form, build, fill };
}

function disputeForm(entry) {
  const form = el(
    'form',
    { id: 'fu-dispute-form', novalidate: true },
    field('Disputed by actor', select('fu-d-actor', 'byActorId', [['', 'Loading actors…']])),
    field(
      'or by source',
      select('fu-d-source', 'bySourceId', [['', 'Loading sources…']]),
      'Name who disputes: an actor, a source that reports otherwise, or both.',
    ),
    field('What is disputed', select('fu-d-field', 'field', [['', 'The whole entry']])),
    field(
      'Their alternative (optional)',
      el('input', { id: 'fu-d-alternative', name: 'alternative', type: 'text', maxlength: '1000' }),
      'What the disputant says instead, as stated ("at about 07:00, not 05:00").',
    ),
    field('Reason', el('textarea', { id: 'fu-d-reason', name: 'reason', rows: '2', maxlength: '1000' })),
    formEnd('Post the dispute'),
  );
  const build = () => {
    const problems = [];
    const data = { entryId: entry.entryId };
    for (const name of ['byActorId', 'bySourceId', 'field', 'alternative', 'reason'])
      if (text(form, name)) data[name] = text(form, name);
    if (!data.byActorId && !data.bySourceId)
      problems.push({ field: 'byActorId', message: 'name who disputes (an actor, a source or both)' });
    if (!data.reason) problems.push({ field: 'reason', message: 'give the reason' });
    return { type: 'EntryDisputed', data, problems, done: 'Dispute recorded' };
  };
  const fill = ({ actors, sources, fields }) => {
    setOptions(form.elements.namedItem('byActorId'), [['', 'No actor'], ...actors]);
    setOptions(form.elements.namedItem('bySourceId'), [['', 'No source'], ...sources]);
    setOptions(form.elements.namedItem('field'), [
      ['', 'The whole entry'],
      ...fields.map((f) => [f, `Only its ${f}`]),
    ]);
  };
  return { form, build, fill };
}

function correctForm(entry) {
  const occurred = entry.occurred ?? {};
  const was = { summary: entry.summary ?? '', quote: entry.quote ?? '', occurred: occurred.startLocal ?? '' };
  const keeps = [
    occurred.precision && `precision ${occurred.precision}`,
    occurred.timezone && `zone ${occurred.timezone}`,
  ]
    .filter(Boolean)
    .join(', ');
  const form = el(
    'form',
    { id: 'fu-correct-form', novalidate: true },
    el('p', { class: 'hint' }, 'Change the fields to correct; the fields left as they are stay unchanged.'),
    field('Summary', el('textarea', { id: 'fu-x-summary', name: 'summary', rows: '3', maxlength: '2000' })),
    field('Quote', el('textarea', { id: 'fu-x-quote', name: 'quote', rows: '2', maxlength: '2000' })),
    field(
      'When it happened (start)',
      el('input', { id: 'fu-x-occurred', name: 'occurred', type: 'text' }),
      `ISO 8601 with its offset, e.g. 2022-02-17T06:00:00+02:00${keeps ? `; it keeps its ${keeps}` : ''}.`,
    ),
    field('Reason', el('textarea', { id: 'fu-x-reason', name: 'reason', rows: '2', maxlength: '1000' })),
    formEnd('Post the correction'),
  );
  for (const [name, value] of Object.entries(was)) form.elements.namedItem(name).value = value;
  const build = () => {
    const problems = [];
    const changes = {};
    const summary = text(form, 'summary');
    const quote = text(form, 'quote');
    const start = text(form, 'occurred');
    if (!summary) problems.push({ field: 'summary', message: 'an entry keeps a summary' });
    else if (summary !== was.summary) changes.summary = summary;
    if (!quote && was.quote) problems.push({ field: 'quote', message: 'a quote cannot be emptied' });
    else if (quote !== was.quote) changes.quote = quote;
    if (!start) problems.push({ field: 'occurred', message: 'give when it started' });
    else if (start !== was.occurred)
      changes.occurred = {
        start,
        ...(occurred.precision ? { precision: occurred.precision } : {}),
        approximate: Boolean(occurred.approximate),
        ...(occurred.timezone ? { timezone: occurred.timezone } : {}),
      };
    if (problems.length === 0 && Object.keys(changes).length === 0)
      problems.push({ field: 'summary', message: 'nothing changed: change at least one field' });
    const reason = text(form, 'reason');
    if (!reason) problems.push({ field: 'reason', message: 'give the reason' });
    const data = { entryId: entry.entryId, changes, reason };
    return { type: 'EntryCorrected', data, problems, done: 'Correction recorded' };
  };
  return { form, build, fill: () => {} };
}

/** Checks a form in the page, posts it, and hands the API's answer to `onPosted`. */
function wire({ form, build }, onPosted) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblems(form);
    const { type, data, problems, done } = build();
    if (problems.length > 0) {
      showProblems(form, problems, 'Please check the form:');
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    const id = newEventId();
    postJson('/v1/events', { ...(id ? { id } : {}), type, data })
      .then((result) => onPosted(result, `${done} at log position ${result.position}.`))
      .catch((e) => showProblems(form, problemsOf(e), refusal(e)))
      .finally(() => {
        button.disabled = false;
        form.removeAttribute('aria-busy');
      });
  });
}

/**
 * The "Post a follow-up" part of an entry page. `onPosted(result, message)` runs after a post is
 * recorded (the entry page reads the entry again); `message`, when given, says what was recorded.
 */
export function followUps(entry, onPosted, message = '') {
  const forms = [
    ['Corroborate', corroborateForm(entry)],
    ['Dispute', disputeForm(entry)],
    ['Correct', correctForm(entry)],
  ];
  for (const [, parts] of forms) wire(parts, onPosted);
  const status = el('p', { id: 'fu-status', class: 'fu-status', role: 'status', tabindex: '-1' }, message);
  const section = el(
    'section',
    { class: 'entry-part followups', 'aria-labelledby': 'fu-title', 'data-entry-id': entry.entryId },
    el('h3', { id: 'fu-title' }, 'Post a follow-up'),
    el(
      'p',
      { class: 'hint' },
      'Needs a key with the right to post follow-ups (editor); the page asks for it.',
    ),
    status,
    forms.map(([title, { form }]) =>
      el('details', { class: 'followup', id: form.id.replace(/-form$/, '') }, el('summary', {}, title), form),
    ),
  );
  loadChoices()
    .then((c) => {
      for (const [, parts] of forms) parts.fill(c);
      section.dataset.choices = 'ready';
    })
    .catch((e) => {
      status.textContent = `Could not read the sources and actors: ${e.message}`;
    });
  return section;
}
