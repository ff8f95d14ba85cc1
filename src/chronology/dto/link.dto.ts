import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { LINK_RELATIONS, type LinkRelation } from '../events/vocabulary';
import { IsSlug, Text } from './common.dto';

/** `from` bears on `to` by `relation`, as a source states it. Both entries belong to one crisis. */
export class EntryLinkedDto {
  @IsUUID() fromEntryId!: string;
  @IsUUID() toEntryId!: string;
  @IsIn(LINK_RELATIONS) relation!: LinkRelation;
  /** The source stating the link. */
  @IsSlug() sourceId!: string;
  /** Who asserts it, when the source names someone ("the ministry said the talks came first"). */
  @IsOptional() @IsSlug() claimantActorId?: string;
  @IsOptional() @Text(1000) note?: string;
}

/** Withdraws a link; the link stays in the history. */
export class EntryUnlinkedDto {
  @IsSlug() crisisId!: string;
  @IsUUID() linkId!: string;
  @Text(1000) reason!: string;
}
