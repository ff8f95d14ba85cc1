import { AppError } from '../../shared/errors';
import type { Decider } from '../decider';
import type { ActorAliasAddedData, ActorDetailsChangedData, ActorRegisteredData } from '../events/event-data';

export type ActorEvent =
  | { readonly type: 'ActorRegistered'; readonly data: ActorRegisteredData }
  | { readonly type: 'ActorAliasAdded'; readonly data: ActorAliasAddedData }
  | { readonly type: 'ActorDetailsChanged'; readonly data: ActorDetailsChangedData };

export type ActorCommand =
  | { readonly kind: 'RegisterActor'; readonly data: ActorRegisteredData }
  | { readonly kind: 'AddActorAlias'; readonly data: ActorAliasAddedData }
  | { readonly kind: 'ChangeActorDetails'; readonly data: ActorDetailsChangedData };

export type ActorState =
  { readonly exists: false } | { readonly exists: true; readonly actor: ActorRegisteredData };

function evolve(state: ActorState, event: ActorEvent): ActorState {
  switch (event.type) {
    case 'ActorRegistered':
      return { exists: true, actor: event.data };
    case 'ActorAliasAdded':
      if (!state.exists) return state;
      return {
        exists: true,
        actor: { ...state.actor, aliases: [...(state.actor.aliases ?? []), event.data.alias] },
      };
    case 'ActorDetailsChanged': {
      if (!state.exists) return state;
      const { actorId: _, ...changes } = event.data;
      return { exists: true, actor: { ...state.actor, ...changes } };
    }
  }
}

function registered(state: ActorState, actorId: string): ActorRegisteredData {
  if (!state.exists)
    throw new AppError('unknown_reference', `actor ${actorId} is not registered`, {
      unknown: { actorId: [actorId] },
    });
  return state.actor;
}

const rule = (message: string): AppError => new AppError('rule_violated', message);

function decide(command: ActorCommand, state: ActorState): ActorEvent[] {
  switch (command.kind) {
    case 'RegisterActor':
      if (state.exists) throw new AppError('conflict', `actor ${command.data.actorId} is already registered`);
      if (command.data.parentId === command.data.actorId) throw rule('an actor cannot be its own parent');
      return [{ type: 'ActorRegistered', data: command.data }];
    case 'AddActorAlias': {
      const actor = registered(state, command.data.actorId);
      const known = [actor.name, ...(actor.aliases ?? [])].map((n) => n.toLowerCase());
      if (known.includes(command.data.alias.toLowerCase()))
        throw rule(`"${command.data.alias}" is already a name of ${actor.actorId}`);
      return [{ type: 'ActorAliasAdded', data: command.data }];
    }
    case 'ChangeActorDetails': {
      const actor = registered(state, command.data.actorId);
      if (command.data.parentId === actor.actorId) throw rule('an actor cannot be its own parent');
      const { actorId: _, ...changes } = command.data;
      const changed = Object.entries(changes).filter(
        ([k, v]) => JSON.stringify(v) !== JSON.stringify(actor[k as keyof ActorRegisteredData]),
      );
      if (changed.length === 0) throw rule('the change changes nothing');
      return [{ type: 'ActorDetailsChanged', data: command.data }];
    }
  }
}

export const actorDecider: Decider<ActorCommand, ActorEvent, ActorState> = {
  initialState: { exists: false },
  evolve,
  decide,
};
