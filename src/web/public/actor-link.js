import { el } from './dom.js';

// The actor page's address: `#actor/<actorId>`, with `?includeMembers=true` to roll its members up
// (the API's own parameter name). Kept apart from actor.js so that the entry page and the timeline
// can link to actors without loading the actor page's chart library.

/** The address of an actor's page. */
export function actorHref(actorId, includeMembers = false) {
  return `#actor/${encodeURIComponent(actorId)}${includeMembers ? '?includeMembers=true' : ''}`;
}

/** A link to an actor's page, named as the chronology names the actor (its id when unnamed). */
export function actorLink(actor, attributes = {}) {
  return el(
    'a',
    { ...attributes, class: `actor-link ${attributes.class ?? ''}`.trim(), href: actorHref(actor.actorId) },
    actor.name || actor.actorId,
  );
}

/** What `#actor/…` asks for ({ actorId, includeMembers }), or null for any other address. */
export function actorRoute(hash) {
  const match = /^#actor\/([^?/]+)(?:\?(.*))?$/.exec(hash);
  if (!match) return null;
  let actorId;
  try {
    actorId = decodeURIComponent(match[1]);
  } catch {
    return null; // a malformed escape: not an address this page wrote
  }
  const params = new URLSearchParams(match[2] ?? '');
  return { actorId, includeMembers: params.get('includeMembers') === 'true' };
}
