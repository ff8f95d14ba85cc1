import { actorLink } from './actor-link.js';
import { getJson } from './api.js';
import { isPast } from './asof.js';
import { el, instantLabel, occurredLabel, typeLabel } from './dom.js';
import { followUps } from './followup.js';

function section(title, ...content) {
  const body = content.flat().filter(Boolean);
  if (body.length === 0) return null;
  return el('section', { class: 'entry-part' }, el('h3', {}, title), ...body);
}

// Names linked entries by their summary when the timeline has them (set by renderEntry).
let summaryOf = () => null;

function entryLink(entryId) {
  const summary = summaryOf(entryId);
  const text = summary ? (summary.length > 90 ? `${summary.slice(0, 90)}…` : summary) : `entry ${entryId}`;
  return el('a', { href: `#entry/${entryId}` }, text);
}

function attribution(entry) {
  const a = entry.attribution ?? {};
  const hops = [];
  for (const hop of a.chain ?? [])
    hops.push(
      el(
        'li',
        {},
        hop.anonymous
          ? `anonymous: ${hop.description ?? ''}`
          : (hop.sourceId ?? hop.actorId ?? hop.description ?? '?'),
        hop.hedge ? ` (${hop.hedge})` : '',
      ),
    );
  for (const via of a.via ?? []) hops.push(el('li', {}, via));
  const source = entry.source ?? { sourceId: a.sourceId };
  hops.push(
    el(
      'li',
      {},
      el('strong', {}, source.name ?? source.sourceId),
      source.reliability ? ` — source reliability ${source.reliability}` : '',
      a.url ? [' · ', el('a', { href: a.url, rel: 'noopener noreferrer' }, 'report')] : '',
      a.publishedAt ? ` · published ${instantLabel(a.publishedAt)}` : '',
    ),
  );
  const grade = entry.grade
    ? el(
        'p',
        { class: 'grade' },
        el('strong', {}, `Grade ${entry.grade.code ?? ''}`),
        ` (${[
          entry.grade.reliability ? `source reliability ${entry.grade.reliability}` : null,
          entry.grade.credibility ? `credibility ${entry.grade.credibility}` : null,
        ]
          .filter(Boolean)
          .join(', ')})`,
        entry.grade.rationale ? `: ${entry.grade.rationale}` : '',
      )
    : null;
  return section(
    'Attribution',
    el('ol', { class: 'chain', 'aria-label': 'From the origin to this chronology' }, hops),
    grade,
  );
}

function codes(entry) {
  const rows = [];
  const walk = (prefix, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value))
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    else
      rows.push(el('dt', {}, prefix), el('dd', {}, Array.isArray(value) ? value.join(', ') : String(value)));
  };
  walk('', entry.codes ?? {});
  return rows.length ? section('Codes', el('dl', { class: 'codes' }, rows)) : null;
}

function links(entry) {
  const items = [
    ...(entry.links ?? []).map((l) =>
      el(
        'li',
        {},
        `${l.kind ?? l.type ?? 'linked'} → `,
        entryLink(l.entryId ?? l.toEntryId ?? l.targetEntryId),
      ),
    ),
    ...(entry.counters ?? []).map((c) => el('li', {}, `counters (${c.how}) `, entryLink(c.entryId))),
    ...(entry.counteredBy ?? []).map((c) => el('li', {}, `countered (${c.how}) by `, entryLink(c.entryId))),
    ...(entry.corroboratedBy ?? []).map((c) =>
      el('li', {}, `corroborated by ${c.name ?? c.sourceId}`, c.note ? `: ${c.note}` : ''),
    ),
    ...(entry.disputedBy ?? []).map((d) =>
      el('li', {}, `disputed by ${d.name ?? d.byActorId}`, d.reason ? `: ${d.reason}` : ''),
    ),
  ];
  return items.length ? section('Links, corroborations and disputes', el('ul', {}, items)) : null;
}

function history(entry) {
  const rows = (entry.history ?? []).map((h) =>
    el(
      'li',
      { class: 'history-item' },
      el('p', {}, el('strong', {}, typeLabel(h.type)), ` — revision ${h.revision}, position ${h.position}`),
      el(
        'p',
        { class: 'who' },
        `recorded by ${h.principal} at `,
        el('time', { datetime: h.recordedAt }, instantLabel(h.recordedAt)),
      ),
      h.data?.note || h.data?.reason ? el('p', {}, h.data.note ?? h.data.reason) : null,
      el('details', {}, el('summary', {}, 'Event data'), el('pre', {}, JSON.stringify(h.data, null, 2))),
    ),
  );
  return section('History', el('ol', { class: 'history' }, rows));
}

/**
 * Posting follow-ups: on the entry as it is now only. A live re-render of the same entry keeps the
 * forms (and what is typed in them); after a post of this page's own, they are built anew from the
 * entry read again, with a message saying what was recorded.
 */
function followUpPart(article, entry, message) {
  if (isPast()) {
    return section(
      'Post a follow-up',
      el(
        'p',
        { class: 'hint' },
        'This page shows the entry as it was then; follow-ups are posted on the entry as it is now: go back to now first.',
      ),
    );
  }
  const kept = article.querySelector('.followups');
  if (!message && kept?.dataset.entryId === entry.entryId) return kept;
  return followUps(entry, (result, done) => reread(article, entry.entryId, result.position, done), message);
}

/** Reads the entry again once the read models have applied `position`, and shows it with `message`. */
async function reread(article, entryId, position, message) {
  const query = new URLSearchParams({ minPosition: position });
  try {
    const entry = await getJson(`/v1/entries/${encodeURIComponent(entryId)}?${query}`);
    renderEntry(article, entry, summaryOf, message);
  } catch (e) {
    const status = article.querySelector('#fu-status');
    if (status) status.textContent = `${message} The entry could not be read again: ${e.message}`;
  }
  article.querySelector('#fu-status')?.focus();
}

const NUMBER = new Intl.NumberFormat('en');

/** Reported quantities as the ranges they are (low–high, the best estimate when one is given), with the source's words. */
function quantities(entry) {
  const items = (entry.quantities ?? []).map((q) => {
    const range =
      q.low === q.high ? NUMBER.format(q.low) : `${NUMBER.format(q.low)}–${NUMBER.format(q.high)}`;
    return el(
      'li',
      { class: 'quantity' },
      el('span', { class: 'quantity-range' }, `${range}${q.unit ? ` ${q.unit}` : ''} ${q.kind}`),
      q.best !== undefined && q.best !== null && q.low !== q.high
        ? ` (best estimate ${NUMBER.format(q.best)})`
        : '',
      ' — “',
      q.asReported,
      '”',
    );
  });
  return items.length ? section('Quantities', el('ul', {}, items)) : null;
}

/** The entry page: everything the entry says, then how it came to say it. */
export function renderEntry(article, entry, summaries = () => null, message = '') {
  summaryOf = summaries;
  const claimants = (entry.claimants ?? []).map((c) => el('li', {}, actorLink(c)));
  const actors = (entry.actors ?? []).map((a) => el('li', {}, actorLink(a), ` (${a.role})`));
  const locations = (entry.locations ?? (entry.location ? [entry.location] : [])).map((l) =>
    el('li', {}, l.name ?? '', l.countryCode ? ` (${l.countryCode})` : '', l.role ? ` — ${l.role}` : ''),
  );
  const parts = [
    el(
      'h2',
      { id: 'entry-title', tabindex: '-1' },
      `${typeLabel(entry.type)}, ${occurredLabel(entry.occurred)}`,
    ),
    el(
      'p',
      { class: 'entry-meta' },
      el('span', { class: `badge status-${entry.status}` }, entry.status),
      ` · crisis ${entry.crisisId} · revision ${entry.revision}`,
      entry.retracted ? ' · retracted' : '',
      entry.asOf?.position ? ` · as it was after log position ${entry.asOf.position}` : '',
    ),
    el('p', { class: 'summary' }, entry.summary),
    entry.quote ? el('blockquote', {}, entry.quote) : null,
    section('Claimants', claimants.length ? el('ul', {}, claimants) : null),
    section('Actors', actors.length ? el('ul', {}, actors) : null),
    attribution(entry),
    quantities(entry),
    section('Locations', locations.length ? el('ul', {}, locations) : null),
    codes(entry),
    links(entry),
    followUpPart(article, entry, message),
    history(entry),
  ];
  article.replaceChildren(...parts.filter(Boolean));
}
