import type { EntryLinkedData } from '../events/event-data';
import type { LinkRelation } from '../events/vocabulary';
import { specFor } from '../testing/given-when-then';
import { linkDecider, type LinkEvent } from './link.decider';

const link = (
  linkId: string,
  from: string,
  to: string,
  relation: LinkRelation = 'precedes',
): EntryLinkedData => ({
  linkId,
  crisisId: 'c',
  fromEntryId: from,
  toEntryId: to,
  relation,
  sourceId: 'reuters',
});
const linked = (data: EntryLinkedData): LinkEvent => ({ type: 'EntryLinked', data });
const unlinked = (linkId: string): LinkEvent => ({
  type: 'EntryUnlinked',
  data: { crisisId: 'c', linkId, reason: 'x' },
});

describe('link decider', () => {
  const spec = specFor(linkDecider);

  it('links two entries, any number of times by different relations', () => {
    spec
      .given([])
      .when({ kind: 'LinkEntries', data: link('l1', 'a', 'b') })
      .then([linked(link('l1', 'a', 'b'))]);
    spec
      .given([linked(link('l1', 'a', 'b'))])
      .when({ kind: 'LinkEntries', data: link('l2', 'a', 'b', 'causes') })
      .then([linked(link('l2', 'a', 'b', 'causes'))]);
  });

  it('refuses a self-link and the same link twice', () => {
    spec
      .given([])
      .when({ kind: 'LinkEntries', data: link('l1', 'a', 'a') })
      .thenRejects('rule_violated', /itself/);
    spec
      .given([linked(link('l1', 'a', 'b'))])
      .when({ kind: 'LinkEntries', data: link('l2', 'a', 'b') })
      .thenRejects('conflict', /link l1/);
  });

  it('refuses a cycle of "precedes", directly or through other entries, but not of other relations', () => {
    const chain = [linked(link('l1', 'a', 'b')), linked(link('l2', 'b', 'c'))];
    spec
      .given(chain)
      .when({ kind: 'LinkEntries', data: link('l3', 'c', 'a') })
      .thenRejects('rule_violated', /cycle/);
    spec
      .given(chain)
      .when({ kind: 'LinkEntries', data: link('l3', 'b', 'a') })
      .thenRejects('rule_violated', /cycle/);
    spec
      .given(chain)
      .when({ kind: 'LinkEntries', data: link('l3', 'a', 'c') })
      .then([linked(link('l3', 'a', 'c'))]);
    spec
      .given(chain)
      .when({ kind: 'LinkEntries', data: link('l3', 'c', 'a', 'responds-to') })
      .then([linked(link('l3', 'c', 'a', 'responds-to'))]);
    // A withdrawn link no longer counts.
    spec
      .given([...chain, unlinked('l2')])
      .when({ kind: 'LinkEntries', data: link('l3', 'c', 'a') })
      .then([linked(link('l3', 'c', 'a'))]);
  });

  it('withdraws only a link in force', () => {
    const unlink = { kind: 'UnlinkEntries' as const, data: { crisisId: 'c', linkId: 'l1', reason: 'x' } };
    spec
      .given([linked(link('l1', 'a', 'b'))])
      .when(unlink)
      .then([unlinked('l1')]);
    spec
      .given([linked(link('l1', 'a', 'b')), unlinked('l1')])
      .when(unlink)
      .thenRejects('unknown_reference');
    spec.given([]).when(unlink).thenRejects('unknown_reference');
  });
});
