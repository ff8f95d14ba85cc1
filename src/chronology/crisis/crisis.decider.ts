import { AppError } from '../../shared/errors';
import type { Decider } from '../decider';
import type { CrisisRegisteredData } from '../events/event-data';

export type CrisisEvent = { readonly type: 'CrisisRegistered'; readonly data: CrisisRegisteredData };
export type CrisisCommand = { readonly kind: 'RegisterCrisis'; readonly data: CrisisRegisteredData };
export type CrisisState = { readonly exists: boolean };

export const crisisDecider: Decider<CrisisCommand, CrisisEvent, CrisisState> = {
  initialState: { exists: false },
  evolve: () => ({ exists: true }),
  decide(command, state) {
    if (state.exists) throw new AppError('conflict', `crisis ${command.data.crisisId} is already registered`);
    return [{ type: 'CrisisRegistered', data: command.data }];
  },
};
