import {
  ActorAliasAddedDto,
  ActorDetailsChangedDto,
  ActorRelationStatedDto,
  ActorRegisteredDto,
  CrisisRegisteredDto,
  SourceGradedDto,
  SourceRegisteredDto,
} from '../dto/registry.dto';
import { eventType } from './event-type';

export const ActorRegistered = eventType({
  name: 'ActorRegistered',
  schemaVersion: 1,
  family: 'actor',
  dto: ActorRegisteredDto,
  description: 'A state, body, force, group, person or organisation entries can name.',
});

export const ActorAliasAdded = eventType({
  name: 'ActorAliasAdded',
  schemaVersion: 1,
  family: 'actor',
  dto: ActorAliasAddedDto,
  description: 'Another name the actor is known by.',
});

export const ActorDetailsChanged = eventType({
  name: 'ActorDetailsChanged',
  schemaVersion: 1,
  family: 'actor',
  dto: ActorDetailsChangedDto,
  description: "The actor's name, kind, country or place in a hierarchy changed.",
});

export const ActorRelationStated = eventType({
  name: 'ActorRelationStated',
  schemaVersion: 1,
  family: 'actor',
  dto: ActorRelationStatedDto,
  description:
    "An actor's relation to another over a period: member-of (its entries roll up into the body's within the period), commands, recognises, does-not-recognise. Stating it again replaces the period.",
});

export const SourceRegistered = eventType({
  name: 'SourceRegistered',
  schemaVersion: 2,
  family: 'source',
  dto: SourceRegisteredDto,
  description:
    "An outlet, official channel, intelligence service or other source of claims. Without affiliatedActorId, the source's own actor is created with it: an actor whose id is the source's id (named and kinded by ownActor, or the source's name and a kind from the source's kind), listed in /v1/actors and standing as the claimant of the source's reports that name none; an actor already registered under that id is a 409 (name it as affiliatedActorId if the source speaks for it). With affiliatedActorId, that actor is the default claimant and no actor is created.",
});

export const SourceGraded = eventType({
  name: 'SourceGraded',
  schemaVersion: 1,
  family: 'source',
  dto: SourceGradedDto,
  description: 'Source reliability graded A (completely reliable) to F (cannot be judged).',
});

export const CrisisRegistered = eventType({
  name: 'CrisisRegistered',
  schemaVersion: 1,
  family: 'crisis',
  dto: CrisisRegisteredDto,
  description: 'A crisis that entries belong to.',
});

export const ACTOR_TYPES = [
  ActorRegistered,
  ActorAliasAdded,
  ActorDetailsChanged,
  ActorRelationStated,
] as const;
export const SOURCE_TYPES = [SourceRegistered, SourceGraded] as const;
export const CRISIS_TYPES = [CrisisRegistered] as const;
