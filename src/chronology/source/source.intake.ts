import { AppError } from '../../shared/errors';
import { toPlain } from '../../shared/validation';
import { streamOf } from '../events/streams';
import { planWith, type CommandPlan, type Reference } from '../command-plan';
import type { SourceGradedDto, SourceRegisteredDto } from '../dto/registry.dto';
import type { EventType } from '../events/event-type';
import type { OwnActorData, SourceRegisteredData } from '../events/event-data';
import type { ActorKind, SourceKind } from '../events/vocabulary';
import { sourceDecider, type SourceCommand } from './source.decider';

/** The kind of a source's own actor when the request names none: what such a source is as an actor. */
const OWN_ACTOR_KIND: Readonly<Record<SourceKind, ActorKind>> = {
  outlet: 'media',
  official: 'government-body',
  intelligence: 'government-body',
  social: 'other',
  ngo: 'ngo',
  other: 'other',
};

/**
 * The source's own actor: its id is always the source's id, so the write side finds it from an
 * actor id alone (actor X is the stream of actor X, or the own actor of source X) without an index.
 * A source affiliated with an actor speaks as that actor and gets none.
 */
function ownActorOf(dto: SourceRegisteredDto): OwnActorData | undefined {
  if (dto.affiliatedActorId) {
    if (dto.ownActor) {
      throw AppError.validation([
        {
          path: 'data.ownActor',
          message:
            'a source with affiliatedActorId speaks as that actor and has no own actor: give one or the other',
        },
      ]);
    }
    return undefined;
  }
  const given = dto.ownActor ?? {};
  return {
    actorId: dto.sourceId,
    name: given.name ?? dto.name,
    kind: given.kind ?? OWN_ACTOR_KIND[dto.kind],
    ...(given.countryCode ? { countryCode: given.countryCode } : {}),
  };
}

/**
 * Plans a source's registration or grade. `actorExists` says whether an actor is registered under
 * an id (read from its stream): a new source's own actor must not take an existing actor's id.
 */
export async function planSource(
  type: EventType,
  dto: SourceRegisteredDto | SourceGradedDto,
  actorExists: (actorId: string) => Promise<boolean>,
): Promise<CommandPlan> {
  let command: SourceCommand;
  const references: Reference[] = [];
  if (type.name === 'SourceRegistered') {
    const d = dto as SourceRegisteredDto;
    const ownActor = ownActorOf(d);
    const data: SourceRegisteredData = toPlain({ ...d, ownActor });
    const ownActorIdTaken = ownActor ? await actorExists(ownActor.actorId) : false;
    command = { kind: 'RegisterSource', data, ownActorIdTaken };
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
