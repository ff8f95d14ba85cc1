import { AppError } from '../../shared/errors';
import type { Decider } from '../decider';
import type { OwnActorData, SourceGradedData, SourceRegisteredData } from '../events/event-data';
import type { Reliability } from '../events/vocabulary';

export type SourceEvent =
  | { readonly type: 'SourceRegistered'; readonly data: SourceRegisteredData }
  | { readonly type: 'SourceGraded'; readonly data: SourceGradedData };

export type SourceCommand =
  | {
      readonly kind: 'RegisterSource';
      readonly data: SourceRegisteredData;
      /**
       * An actor is registered already under the id the source's own actor would take (read from
       * that actor's stream by the intake's caller): the source is refused, never merged with it.
       */
      readonly ownActorIdTaken?: boolean;
    }
  | { readonly kind: 'GradeSource'; readonly data: SourceGradedData };

export type SourceState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly source: SourceRegisteredData;
      readonly reliability: Reliability | null;
    };

/** The source's own actor, created with it (none for a source registered before own actors). */
export function ownActorOf(state: SourceState): OwnActorData | undefined {
  return state.exists ? state.source.ownActor : undefined;
}

/**
 * Who stands as the claimant of a report of this source that names none: the actor it is
 * affiliated with, else its own actor; undefined for a source registered before own actors with no
 * affiliation (such a report must name its claimant).
 */
export function defaultClaimantOf(state: SourceState): string | undefined {
  if (!state.exists) return undefined;
  return state.source.affiliatedActorId ?? state.source.ownActor?.actorId;
}

function evolve(state: SourceState, event: SourceEvent): SourceState {
  switch (event.type) {
    case 'SourceRegistered':
      return { exists: true, source: event.data, reliability: null };
    case 'SourceGraded':
      return state.exists ? { ...state, reliability: event.data.reliability } : state;
  }
}

function decide(command: SourceCommand, state: SourceState): SourceEvent[] {
  switch (command.kind) {
    case 'RegisterSource': {
      const { sourceId, ownActor } = command.data;
      if (state.exists) throw new AppError('conflict', `source ${sourceId} is already registered`);
      if (ownActor && command.ownActorIdTaken) {
        throw new AppError(
          'conflict',
          `actor ${ownActor.actorId} is already registered, and a source's own actor takes the source's id: if source ${sourceId} speaks for that actor, name it as affiliatedActorId; otherwise register the source under another id`,
          { errors: [{ path: 'data.sourceId', message: `actor "${ownActor.actorId}" already exists` }] },
        );
      }
      return [{ type: 'SourceRegistered', data: command.data }];
    }
    case 'GradeSource':
      if (!state.exists) {
        throw new AppError('unknown_reference', `source ${command.data.sourceId} is not registered`, {
          unknown: { sourceId: [command.data.sourceId] },
        });
      }
      return [{ type: 'SourceGraded', data: command.data }];
  }
}

export const sourceDecider: Decider<SourceCommand, SourceEvent, SourceState> = {
  initialState: { exists: false },
  evolve,
  decide,
};
