import { AppError } from '../../shared/errors';
import type { Decider } from '../decider';
import type { MeasureRegisteredData, MeasureStatusChangedData } from '../events/event-data';
import { phaseOf } from '../events/measure.events';
import type { MeasureKind, MeasureState } from '../events/vocabulary';

export type MeasureEvent =
  | { readonly type: 'MeasureRegistered'; readonly data: MeasureRegisteredData }
  | { readonly type: 'MeasureStatusChanged'; readonly data: MeasureStatusChangedData };

export type MeasureCommand =
  | { readonly kind: 'RegisterMeasure'; readonly data: MeasureRegisteredData }
  | { readonly kind: 'ChangeMeasureStatus'; readonly data: MeasureStatusChangedData };

export type MeasureRecord =
  | { readonly exists: false }
  | { readonly exists: true; readonly kind: MeasureKind; readonly status: MeasureState | null };

/**
 * Which state may follow which, in the order the changes are recorded. Before a measure is in force
 * it may be discussed, proposed, planned or announced in any order; it is imposed once, then
 * extended or partly lifted any number of times, suspended (then reinstated by `imposed`, or
 * lifted) and lifted; a lifted measure may be imposed again, or proposed anew.
 */
function allowed(from: MeasureState | null, to: MeasureState): string | null {
  if (from === null) return null;
  if (from === to && to !== 'extended' && to !== 'partly-lifted') return `the measure is already ${to}`;
  switch (stageOf(from)) {
    case 'intent':
      return phaseOf(to) === 'intent' || to === 'imposed'
        ? null
        : `a measure not yet imposed cannot be ${to}`;
    case 'in-force':
      return to === 'imposed' || phaseOf(to) === 'intent' ? `the measure is in force (${from})` : null;
    case 'suspended':
      return to === 'imposed' || to === 'lifted'
        ? null
        : 'a suspended measure is reinstated (imposed) or lifted';
    case 'lifted':
      return to === 'imposed' || phaseOf(to) === 'intent'
        ? null
        : 'a lifted measure is imposed or proposed anew';
  }
}

/** Where a state leaves the measure: not yet in force, in force (partly lifted too), suspended, lifted. */
function stageOf(state: MeasureState): 'intent' | 'in-force' | 'suspended' | 'lifted' {
  if (state === 'suspended' || state === 'lifted') return state;
  return phaseOf(state) === 'intent' ? 'intent' : 'in-force';
}

export const measureDecider: Decider<MeasureCommand, MeasureEvent, MeasureRecord> = {
  initialState: { exists: false },
  evolve(state, event) {
    if (event.type === 'MeasureRegistered') return { exists: true, kind: event.data.kind, status: null };
    return state.exists ? { ...state, status: event.data.status } : state;
  },
  decide(command, state) {
    if (command.kind === 'RegisterMeasure') {
      if (state.exists)
        throw new AppError('conflict', `measure ${command.data.measureId} is already registered`);
      return [{ type: 'MeasureRegistered', data: command.data }];
    }
    if (!state.exists) {
      throw new AppError('unknown_reference', `measure ${command.data.measureId} does not exist`, {
        errors: [{ path: 'data.measureId', message: `measure "${command.data.measureId}" does not exist` }],
        unknown: { measureId: [command.data.measureId] },
      });
    }
    const refused = allowed(state.status, command.data.status);
    if (refused)
      throw new AppError('rule_violated', `${refused}; it cannot become ${command.data.status} now`);
    return [{ type: 'MeasureStatusChanged', data: command.data }];
  },
};
