import { specFor } from '../testing/given-when-then';
import { actorDecider, type ActorEvent } from './actor.decider';

const spec = specFor(actorDecider);
const registered: ActorEvent = {
  type: 'ActorRegistered',
  data: {
    actorId: 'maria-zakharova',
    name: 'Maria Zakharova',
    kind: 'person',
    parentId: 'russia-mfa',
    aliases: ['Zakharova'],
  },
};

describe('actor decider', () => {
  it('registers an actor once', () => {
    spec.given([]).when({ kind: 'RegisterActor', data: registered.data }).then([registered]);
    spec
      .given([registered])
      .when({ kind: 'RegisterActor', data: registered.data })
      .thenRejects('conflict', /already registered/);
  });

  it('refuses an actor that is its own parent', () => {
    spec
      .given([])
      .when({ kind: 'RegisterActor', data: { actorId: 'x', name: 'X', kind: 'other', parentId: 'x' } })
      .thenRejects('rule_violated', /own parent/);
  });

  it('adds a new alias, not a known name', () => {
    const data = { actorId: 'maria-zakharova', alias: 'Mariya Zakharova' };
    spec
      .given([registered])
      .when({ kind: 'AddActorAlias', data })
      .then([{ type: 'ActorAliasAdded', data }]);
    spec
      .given([registered])
      .when({ kind: 'AddActorAlias', data: { actorId: 'maria-zakharova', alias: 'zakharova' } })
      .thenRejects('rule_violated', /already a name/);
  });

  it('changes details only of a registered actor, and only when something changes', () => {
    const data = { actorId: 'maria-zakharova', name: 'Maria V. Zakharova' };
    spec
      .given([registered])
      .when({ kind: 'ChangeActorDetails', data })
      .then([{ type: 'ActorDetailsChanged', data }]);
    spec
      .given([])
      .when({ kind: 'ChangeActorDetails', data })
      .thenRejects('unknown_reference', /not registered/);
    spec
      .given([registered])
      .when({ kind: 'ChangeActorDetails', data: { actorId: 'maria-zakharova', kind: 'person' } })
      .thenRejects('rule_violated', /changes nothing/);
  });
});
