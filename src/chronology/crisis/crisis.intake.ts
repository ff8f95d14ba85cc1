import { toPlain } from '../../shared/validation';
import { streamOf } from '../events/streams';
import { planWith, type CommandPlan } from '../command-plan';
import type { CrisisRegisteredDto } from '../dto/registry.dto';
import { crisisDecider } from './crisis.decider';

export function planCrisis(dto: CrisisRegisteredDto): CommandPlan {
  const data = toPlain({ ...dto });
  return planWith(
    crisisDecider,
    { kind: 'RegisterCrisis', data },
    {
      stream: streamOf('crisis', dto.crisisId),
      candidate: { type: 'CrisisRegistered', data },
      references: [],
    },
  );
}
