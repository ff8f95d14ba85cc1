import { activityPart } from './actor-activity.js';
import { actorHref, actorLink } from './actor-link.js';
import { boundLabel, relationsPart } from './actor-relations.js';
import { getJson } from './api.js';
import { el, instantLabel, typeLabel } from './dom.js';

// The actor page (`#actor/<actorId>`): the profile GET /v1/actors/{actorId} answers, its relations
// over time, its activity per day, the entries it is named in by role, and its claims that others
// dispute. With `?includeMembers=true` its members' entries are rolled up into it, as the API does.

/** How many claims, other entries and disputes the view asks for (the route's maximum). */
const LIMIT = 500;
const ROLE_ORDER = ['claimant', 'agent', 'target', 'subject', 'participant'];

function part(title, ...content) {
  return el('section', { class: 'entry-part' }, el('h3', {}, title), ...content.flat().filter(Boolean));
}

function short(text, n = 160) {
  return text && text.length > n ? `${text.slice(0, n)}…` : (text ?? '');
}

/** Names of actors the view gives by id only (its parent, what it was registered a member of). */
async function namesOf(ids) {
  const names = new Map();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      try {
        names.set(id, (await getJson(`/v1/actors/${encodeURIComponent(id)}?limit=1`)).name);
      } catch {
        // unknown or unreadable: the link shows the id
      }
    }),
  );
  return names;
}

function profile(actor) {
  const facts = [
    ['Kind', actor.kind],
    ['Country', actor.countryCode],
    ['Also called', actor.aliases?.length ? actor.aliases.join(', ') : null],
    ['Registered', instantLabel(actor.registeredAt)],
    [
      'Named in',
      `${actor.involvement.entries} ${actor.involvement.entries === 1 ? 'entry' : 'entries'}` +
        (actor.firstSeen ? `, from ${instantLabel(actor.firstSeen)} to ${instantLabel(actor.lastSeen)}` : ''),
    ],
  ].filter(([, value]) => value);
  return el(
    'dl',
    { class: 'actor-profile' },
    facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
  );
}

function membersPart(actor) {
  if (!actor.members?.length) return null;
  const toggle = actor.includesMembers
    ? el('a', { href: actorHref(actor.actorId), id: 'actor-members-toggle' }, 'Show this actor alone')
    : el(
        'a',
        { href: actorHref(actor.actorId, true), id: 'actor-members-toggle' },
        `Roll up its ${actor.members.length} members`,
      );
  return part(
    'Members',
    el(
      'p',
      {},
      actor.includesMembers
        ? 'Entries, activity and claims below include its members. '
        : 'Entries, activity and claims below are its own. ',
      toggle,
    ),
    el(
      'ul',
      { class: 'members' },
      actor.members.map((m) =>
        el(
          'li',
          {},
          actorLink(m),
          m.validFrom || m.validTo
            ? ` (member ${m.validFrom ? `from ${boundLabel(m.validFrom)}` : ''}${m.validTo ? ` to ${boundLabel(m.validTo)}` : ''})`
            : '',
        ),
      ),
    ),
  );
}

function entryItem(entries, self, names) {
  const first = entries[0];
  const others = entries.filter((e) => e.actorId !== self).map((e) => names.get(e.actorId) ?? e.actorId);
  return el(
    'li',
    { class: 'actor-entry' },
    el(
      'a',
      { href: `#entry/${first.entryId}`, 'data-entry-id': first.entryId },
      el('time', { datetime: first.occurredStart }, instantLabel(first.occurredStart).slice(0, 16)),
      ' ',
      el('span', { class: `badge status-${first.status}` }, first.status),
      ' ',
      el('span', { class: 'entry-type' }, typeLabel(first.type)),
      ': ',
      short(first.summary),
    ),
    others.length ? el('span', { class: 'as-member' }, ` (as ${others.join(', ')})`) : null,
  );
}

/** The entries naming the actor, one list per role; an entry named through two members shows once. */
function rolesPart(actor, names) {
  const byRole = new Map();
  for (const row of [...(actor.claims ?? []), ...(actor.involvedIn ?? [])]) {
    if (!byRole.has(row.role)) byRole.set(row.role, new Map());
    const entries = byRole.get(row.role);
    if (!entries.has(row.entryId)) entries.set(row.entryId, []);
    entries.get(row.entryId).push(row);
  }
  const rank = (role) => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);
  const roles = [...byRole.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (roles.length === 0) return part('Entries by role', el('p', { class: 'empty' }, 'No entry names it.'));
  const capped = (actor.claims?.length ?? 0) >= LIMIT || (actor.involvedIn?.length ?? 0) >= LIMIT;
  return part(
    'Entries by role',
    el(
      'p',
      { class: 'hint' },
      'Newest first; times in UTC.',
      capped ? ` The first ${LIMIT} of each kind only.` : '',
    ),
    roles.map((role) => {
      const entries = [...byRole.get(role).values()];
      return el(
        'section',
        { class: 'actor-role', 'data-role': role },
        el('h4', {}, `As ${role} (${actor.involvement.byRole[role] ?? entries.length})`),
        el(
          'ul',
          { class: 'actor-entries' },
          entries.map((e) => entryItem(e, actor.actorId, names)),
        ),
      );
    }),
  );
}

/** Its claims that others dispute, one item per claim with every dispute of it. */
function disputesPart(actor, names) {
  const claims = new Map();
  for (const d of actor.disputedClaims ?? []) {
    if (!claims.has(d.entryId)) claims.set(d.entryId, []);
    claims.get(d.entryId).push(d);
  }
  if (claims.size === 0)
    return part(
      'Its claims that others dispute',
      el('p', { class: 'empty' }, 'None of its claims is disputed.'),
    );
  return part(
    'Its claims that others dispute',
    el(
      'ul',
      { class: 'disputed-claims' },
      [...claims.values()].map((disputes) => {
        const claim = disputes[0];
        return el(
          'li',
          { class: 'disputed-claim', 'data-entry-id': claim.entryId },
          el('a', { href: `#entry/${claim.entryId}` }, short(claim.summary)),
          claim.claimantId !== actor.actorId
            ? ` (claimed by ${names.get(claim.claimantId) ?? claim.claimantId})`
            : '',
          el(
            'ul',
            {},
            disputes.map((d) =>
              el(
                'li',
                { class: 'dispute' },
                'disputed by ',
                d.disputedBy.actorId
                  ? actorLink({ actorId: d.disputedBy.actorId, name: d.disputedBy.name })
                  : `source ${d.disputedBy.sourceId}`,
                d.field ? ` (its ${d.field})` : '',
                d.reason ? `: ${short(d.reason, 240)}` : '',
                d.counterEntryId
                  ? [' · ', el('a', { href: `#entry/${d.counterEntryId}` }, 'counter-claim')]
                  : '',
              ),
            ),
          ),
        );
      }),
    ),
  );
}

/** Renders the actor page into `article`; focus moves to its title. Resolves once it is drawn. */
export async function showActor(article, { actorId, includeMembers }) {
  let actor;
  try {
    const query = new URLSearchParams({ limit: String(LIMIT) });
    if (includeMembers) query.set('includeMembers', 'true');
    actor = await getJson(`/v1/actors/${encodeURIComponent(actorId)}?${query}`);
  } catch (e) {
    article.replaceChildren(
      el('h2', { id: 'actor-title', tabindex: '-1' }, 'Actor not available'),
      el('p', {}, e.message),
    );
    return;
  }
  const names = await namesOf([actor.parentId, ...(actor.memberOf ?? [])].filter(Boolean));
  names.set(actor.actorId, actor.name);
  for (const m of actor.members ?? []) names.set(m.actorId, m.name);
  const activity = await activityPart(actor.actorId, actor.includesMembers);
  const parts = [
    el('h2', { id: 'actor-title', tabindex: '-1' }, actor.name),
    el(
      'p',
      { class: 'entry-meta' },
      `${actor.kind} · ${actor.actorId}`,
      actor.includesMembers ? ' · with its members' : '',
    ),
    profile(actor),
    relationsPart(actor, names),
    membersPart(actor),
    activity.part,
    rolesPart(actor, names),
    disputesPart(actor, names),
  ];
  article.replaceChildren(...parts.filter(Boolean));
  activity.draw();
}
