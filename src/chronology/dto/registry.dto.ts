import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  ACTOR_RELATIONS,
  RELIABILITY,
  SOURCE_KINDS,
  type ActorKind,
  type ActorRelation,
  type Reliability,
  type SourceKind,
} from '../events/vocabulary';
import { IsSlug, IsSlugList, List, Text } from './common.dto';

/** Actors, sources and crises: the registries entries refer to. */

export class ActorRegisteredDto {
  @IsSlug() actorId!: string;
  @Text(200) name!: string;
  /** An open, coded vocabulary: one of ACTOR_KINDS or any other lowercase code. */
  @IsSlug() @MaxLength(64) kind!: ActorKind;
  @IsOptional() @IsISO31661Alpha2() countryCode?: string;
  /** The actor this one belongs to (Zakharova -> Russian Foreign Ministry -> Russia). */
  @IsOptional() @IsSlug() parentId?: string;
  /** Organisations it is a member of (e.g. NATO). */
  @IsOptional() @List(20, 64) @IsSlugList() memberOf?: string[];
  @IsOptional() @List(20) aliases?: string[];
}

export class ActorAliasAddedDto {
  @IsSlug() actorId!: string;
  @Text(200) alias!: string;
}

export class ActorDetailsChangedDto {
  @IsSlug() actorId!: string;
  @IsOptional() @Text(200) name?: string;
  @IsOptional() @IsSlug() @MaxLength(64) kind?: ActorKind;
  @IsOptional() @IsISO31661Alpha2() countryCode?: string;
  @IsOptional() @IsSlug() parentId?: string;
  @IsOptional() @List(20, 64) @IsSlugList() memberOf?: string[];
}

/**
 * One actor's relation to another over a period (`validFrom` to `validTo`, either open): a new
 * statement of the same relation to the same actor replaces its period.
 */
export class ActorRelationStatedDto {
  @IsSlug() actorId!: string;
  @IsIn(ACTOR_RELATIONS) relation!: ActorRelation;
  @IsSlug() toActorId!: string;
  /** A date (its start, UTC) or an instant with an offset. */
  @IsOptional() @IsString() @Length(4, 40) validFrom?: string;
  @IsOptional() @IsString() @Length(4, 40) validTo?: string;
  @IsOptional() @IsSlug() sourceId?: string;
  @IsOptional() @Text(1000) note?: string;
}

/**
 * How the source's own actor is described, when the defaults do not fit: its name (the source's by
 * default), kind (from the source's kind by default: an outlet is `media`) and country. Its id is
 * always the source's id.
 */
export class OwnActorDto {
  @IsOptional() @Text(200) name?: string;
  /** An open, coded vocabulary, as an actor's kind (e.g. `media`, `news-agency`). */
  @IsOptional() @IsSlug() @MaxLength(64) kind?: ActorKind;
  @IsOptional() @IsISO31661Alpha2() countryCode?: string;
}

export class SourceRegisteredDto {
  @IsSlug() sourceId!: string;
  @Text(200) name!: string;
  @IsIn(SOURCE_KINDS) kind!: SourceKind;
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  url?: string;
  /** The actor the source speaks for or is owned by (a ministry's press office, state media). */
  @IsOptional() @IsSlug() affiliatedActorId?: string;
  /**
   * Without affiliatedActorId, the source gets an actor of its own, with the source's id, created
   * with it: the claimant of its reports that name none. This describes that actor.
   */
  @IsOptional() @ValidateNested() @Type(() => OwnActorDto) ownActor?: OwnActorDto;
}

export class SourceGradedDto {
  @IsSlug() sourceId!: string;
  @IsIn(RELIABILITY) reliability!: Reliability;
  @Text(1000) rationale!: string;
}

export class CrisisRegisteredDto {
  @IsSlug() crisisId!: string;
  @Text(200) name!: string;
  @IsOptional() @Text(2000) description?: string;
  @IsOptional() @List(20, 2) @IsISO31661Alpha2({ each: true }) countries?: string[];
}
