import { AppError } from '../../shared/errors';
import type { Decider } from '../decider';
import type { SourceGradedData, SourceRegisteredData } from '../events/event-data';
import type { Reliability } from '../events/vocabulary';

export type SourceEvent =
  | { readonly type: 'SourceRegistered'; readonly data: SourceRegisteredData }
  | { readonly type: 'SourceGraded'; readonly data: SourceGradedData };

export type SourceCommand =
  | { readonly kind: 'RegisterSource'; readonly data: SourceRegisteredData }
  | { readonly kind: 'GradeSource'; readonly data: SourceGradedData };

export type SourceState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly source: SourceRegisteredData;
      readonly reliability: Reliability | null;
    };

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
    case 'RegisterSource':
      if (state.exists)
        throw new AppError('conflict', `source ${command.data.sourceId} is already registered`);
      return [{ type: 'SourceRegistered', data: command.data }];
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
