import { AppError } from '../../shared/errors';
import type { Decider } from '../decider';
import type {
  ActorAliasAddedData,
  ActorDetailsChangedData,
  ActorRegisteredData,
  ActorRelationStatedData,
  OwnActorData,
} from '../events/event-data';

export type ActorEvent =
  | { readonly type: 'ActorRegistered'; readonly data: ActorRegisteredData }
  | { readonly type: 'ActorAliasAdded'; readonly data: ActorAliasAddedData }
  | { readonly type: 'ActorDetailsChanged'; readonly data: ActorDetailsChangedData }
  | { readonly type: 'ActorRelationStated'; readonly data: ActorRelationStatedData };

export type ActorCommand =
  | { readonly kind: 'RegisterActor'; readonly data: ActorRegisteredData }
  | { readonly kind: 'AddActorAlias'; readonly data: ActorAliasAddedData }
  | { readonly kind: 'ChangeActorDetails'; readonly data: ActorDetailsChangedData }
  | { readonly kind: 'StateRelation'; readonly data: ActorRelationStatedData };

export type ActorState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly actor: ActorRegisteredData;
      /** The source this actor was created with, as that source's own actor (not by ActorRegistered). */
      readonly ownActorOf?: string;
      /** Relations in force as last stated, by `relation toActorId`. */
      readonly relations?: ReadonlyMap<string, ActorRelationStatedData>;
    };

const relationKey = (r: ActorRelationStatedData): string => `${r.relation} ${r.toActorId}`;

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
      return { ...state, actor: { ...state.actor, ...changes } };
    }
    case 'ActorRelationStated': {
      if (!state.exists) return state;
      const relations = new Map(state.relations);
      relations.set(relationKey(event.data), event.data);
      return { ...state, relations };
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
      if (state.exists && state.ownActorOf !== undefined)
        throw new AppError(
          'conflict',
          `actor ${command.data.actorId} is already registered, as the own actor of source ${state.ownActorOf} (created with it)`,
        );
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
    case 'StateRelation': {
      registered(state, command.data.actorId);
      const r = command.data;
      if (r.toActorId === r.actorId) throw rule('an actor has no relation to itself');
      if (r.validFrom && r.validTo && Date.parse(r.validTo) <= Date.parse(r.validFrom))
        throw rule(`validTo (${r.validTo}) is not after validFrom (${r.validFrom})`);
      const before = state.exists ? state.relations?.get(relationKey(r)) : undefined;
      if (before && before.validFrom === r.validFrom && before.validTo === r.validTo)
        throw rule(`${r.actorId} ${r.relation} ${r.toActorId} is already stated for that period`);
      return [{ type: 'ActorRelationStated', data: r }];
    }
  }
}

export const actorDecider: Decider<ActorCommand, ActorEvent, ActorState> = {
  initialState: { exists: false },
  evolve,
  decide,
};

/**
 * The decider of an actor that may be a source's own actor: such an actor is registered by its
 * source's SourceRegistered (on the source's stream), so its own stream starts from that state,
 * and aliases, details and relations are added to it as to any actor.
 */
export function actorDeciderFor(
  own: OwnActorData | undefined,
): Decider<ActorCommand, ActorEvent, ActorState> {
  if (!own) return actorDecider;
  // The own actor's id is its source's id (see source.intake.ts).
  return { ...actorDecider, initialState: { exists: true, actor: own, ownActorOf: own.actorId } };
}
