import { toPlain } from '../../shared/validation';
import { streamOf } from '../events/streams';
import { planWith, type CommandPlan, type Reference } from '../command-plan';
import type { SourceGradedDto, SourceRegisteredDto } from '../dto/registry.dto';
import type { EventType } from '../events/event-type';
import { sourceDecider, type SourceCommand } from './source.decider';

export function planSource(type: EventType, dto: SourceRegisteredDto | SourceGradedDto): CommandPlan {
  let command: SourceCommand;
  const references: Reference[] = [];
  if (type.name === 'SourceRegistered') {
    const d = dto as SourceRegisteredDto;
    command = { kind: 'RegisterSource', data: toPlain({ ...d }) };
    if (d.affiliatedActorId)
      references.push({ kind: 'actor', id: d.affiliatedActorId, path: 'data.affiliatedActorId' });
  } else {
    command = { kind: 'GradeSource', data: toPlain({ ...(dto as SourceGradedDto) }) };
  }
  return planWith(sourceDecider, command, {
    stream: streamOf('source', dto.sourceId),
    candidate: { type: type.name, data: command.data },
    references,
  });
}
