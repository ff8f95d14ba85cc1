import { AppError } from '../../shared/errors';
import type { Decider } from '../decider';
import type { EntryLinkedData, EntryUnlinkedData } from '../events/event-data';

export type LinkEvent =
  | { readonly type: 'EntryLinked'; readonly data: EntryLinkedData }
  | { readonly type: 'EntryUnlinked'; readonly data: EntryUnlinkedData };

export type LinkCommand =
  | { readonly kind: 'LinkEntries'; readonly data: EntryLinkedData }
  | { readonly kind: 'UnlinkEntries'; readonly data: EntryUnlinkedData };

/** A crisis's links in force, by link id. */
export interface LinkState {
  readonly links: ReadonlyMap<string, EntryLinkedData>;
}

/** The links of one crisis are one stream, so that a new link is decided on all of them. */
export const linkStream = (crisisId: string): string => `links-${crisisId}`;

/** The entries `from` is known to precede, transitively, by links in force. */
function precededBy(links: Iterable<EntryLinkedData>, from: string): Set<string> {
  const next = new Map<string, string[]>();
  for (const l of links) {
    if (l.relation === 'precedes') next.set(l.fromEntryId, [...(next.get(l.fromEntryId) ?? []), l.toEntryId]);
  }
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    for (const to of next.get(todo.pop()!) ?? []) {
      if (seen.has(to)) continue;
      seen.add(to);
      todo.push(to);
    }
  }
  return seen;
}

export const linkDecider: Decider<LinkCommand, LinkEvent, LinkState> = {
  initialState: { links: new Map() },
  evolve(state, event) {
    const links = new Map(state.links);
    if (event.type === 'EntryLinked') links.set(event.data.linkId, event.data);
    else links.delete(event.data.linkId);
    return { links };
  },
  decide(command, state) {
    if (command.kind === 'UnlinkEntries') {
      const { linkId, crisisId } = command.data;
      if (!state.links.has(linkId)) {
        throw new AppError('unknown_reference', `crisis ${crisisId} has no link ${linkId} in force`, {
          errors: [{ path: 'data.linkId', message: `no link ${linkId} in force in crisis ${crisisId}` }],
          unknown: { linkId: [linkId] },
        });
      }
      return [{ type: 'EntryUnlinked', data: command.data }];
    }
    const link = command.data;
    if (link.fromEntryId === link.toEntryId) {
      throw new AppError('rule_violated', `an entry cannot be linked to itself (${link.fromEntryId})`);
    }
    for (const l of state.links.values()) {
      if (
        l.fromEntryId === link.fromEntryId &&
        l.toEntryId === link.toEntryId &&
        l.relation === link.relation
      ) {
        throw new AppError(
          'conflict',
          `the entries are linked so already (${link.relation}, link ${l.linkId})`,
          {
            linkId: l.linkId,
          },
        );
      }
    }
    if (
      link.relation === 'precedes' &&
      precededBy(state.links.values(), link.toEntryId).has(link.fromEntryId)
    ) {
      throw new AppError(
        'rule_violated',
        `entry ${link.toEntryId} already precedes entry ${link.fromEntryId} through links in force: "precedes" would make a cycle`,
      );
    }
    return [{ type: 'EntryLinked', data: link }];
  },
};
