import { toPlain } from '../../shared/validation';
import { streamOf } from '../events/streams';
import { planWith, type CommandPlan, type Reference } from '../command-plan';
import type { ActorAliasAddedDto, ActorDetailsChangedDto, ActorRegisteredDto } from '../dto/registry.dto';
import type { EventType } from '../events/event-type';
import { actorDecider, type ActorCommand } from './actor.decider';

type ActorDto = ActorRegisteredDto | ActorAliasAddedDto | ActorDetailsChangedDto;

function hierarchyRefs(dto: { parentId?: string; memberOf?: string[] }): Reference[] {
  const refs: Reference[] = [];
  if (dto.parentId) refs.push({ kind: 'actor', id: dto.parentId, path: 'data.parentId' });
  dto.memberOf?.forEach((id, i) => refs.push({ kind: 'actor', id, path: `data.memberOf.${i}` }));
  return refs;
}

export function planActor(type: EventType, dto: ActorDto): CommandPlan {
  let command: ActorCommand;
  let references: Reference[] = [];
  switch (type.name) {
    case 'ActorRegistered':
      command = { kind: 'RegisterActor', data: toPlain({ ...(dto as ActorRegisteredDto) }) };
      references = hierarchyRefs(dto as ActorRegisteredDto);
      break;
    case 'ActorAliasAdded':
      command = { kind: 'AddActorAlias', data: toPlain({ ...(dto as ActorAliasAddedDto) }) };
      break;
    default:
      command = { kind: 'ChangeActorDetails', data: toPlain({ ...(dto as ActorDetailsChangedDto) }) };
      references = hierarchyRefs(dto as ActorDetailsChangedDto);
  }
  return planWith(actorDecider, command, {
    stream: streamOf('actor', dto.actorId),
    candidate: { type: type.name, data: command.data },
    references,
  });
}
