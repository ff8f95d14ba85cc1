import { toPlain } from '../../shared/validation';
import { streamOf } from '../events/streams';
import { planWith, type CommandPlan, type Reference } from '../command-plan';
import { AppError, type FieldError } from '../../shared/errors';
import { parseDateOrInstant } from '../../shared/time';
import type {
  ActorAliasAddedDto,
  ActorDetailsChangedDto,
  ActorRegisteredDto,
  ActorRelationStatedDto,
} from '../dto/registry.dto';
import type { ActorRelationStatedData, OwnActorData } from '../events/event-data';
import type { EventType } from '../events/event-type';
import { actorDeciderFor, type ActorCommand } from './actor.decider';

type ActorDto = ActorRegisteredDto | ActorAliasAddedDto | ActorDetailsChangedDto | ActorRelationStatedDto;

/** A relation with its period normalised to UTC instants; the other actor and source must exist. */
function relationCommand(dto: ActorRelationStatedDto): { command: ActorCommand; references: Reference[] } {
  const errors: FieldError[] = [];
  const validFrom =
    dto.validFrom === undefined ? undefined : parseDateOrInstant(dto.validFrom, 'data.validFrom', errors);
  const validTo =
    dto.validTo === undefined ? undefined : parseDateOrInstant(dto.validTo, 'data.validTo', errors);
  if (errors.length > 0) throw AppError.validation(errors);
  const data: ActorRelationStatedData = toPlain({ ...dto, validFrom, validTo });
  const references: Reference[] = [{ kind: 'actor', id: dto.toActorId, path: 'data.toActorId' }];
  if (dto.sourceId) references.push({ kind: 'source', id: dto.sourceId, path: 'data.sourceId' });
  return { command: { kind: 'StateRelation', data }, references };
}

function hierarchyRefs(dto: { parentId?: string; memberOf?: string[] }): Reference[] {
  const refs: Reference[] = [];
  if (dto.parentId) refs.push({ kind: 'actor', id: dto.parentId, path: 'data.parentId' });
  dto.memberOf?.forEach((id, i) => refs.push({ kind: 'actor', id, path: `data.memberOf.${i}` }));
  return refs;
}

/**
 * Plans an actor command. `own`: the own actor of the source with this actor's id, if any (read
 * from that source's stream by the caller): the actor exists already, and is never registered again.
 */
export function planActor(type: EventType, dto: ActorDto, own?: OwnActorData): CommandPlan {
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
    case 'ActorRelationStated':
      ({ command, references } = relationCommand(dto as ActorRelationStatedDto));
      break;
    default:
      command = { kind: 'ChangeActorDetails', data: toPlain({ ...(dto as ActorDetailsChangedDto) }) };
      references = hierarchyRefs(dto as ActorDetailsChangedDto);
  }
  return planWith(actorDeciderFor(own), command, {
    stream: streamOf('actor', dto.actorId),
    candidate: { type: type.name, data: command.data },
    references,
  });
}
