import { IsIn, IsObject, IsOptional, IsUrl, IsUUID, MaxLength } from 'class-validator';
import { CREDIBILITY, DISPUTABLE_FIELDS, type Credibility, type DisputableField } from '../events/vocabulary';
import { IsSlug, Text } from './common.dto';

/** Follow-ups name the entry they apply to; they are appended to that entry's stream. */
export class EntryFollowUpDto {
  @IsUUID() entryId!: string;
}

export class EntryCorroboratedDto extends EntryFollowUpDto {
  @IsSlug() sourceId!: string;
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  url?: string;
  @IsOptional() @Text(1000) note?: string;
}

/**
 * A dispute by an actor or by a source (one of them at least), of the whole entry or of one field
 * of its report (`field`), with the alternative the disputant gives.
 */
export class EntryDisputedDto extends EntryFollowUpDto {
  @IsOptional() @IsSlug() byActorId?: string;
  /** A registered source that reports otherwise: source against source. */
  @IsOptional() @IsSlug() bySourceId?: string;
  /** The report's field disputed (e.g. occurred, location, quantities); none: the whole entry. */
  @IsOptional() @IsIn(DISPUTABLE_FIELDS) field?: DisputableField;
  /** What the disputant says instead, as stated ("at about 07:00, not 05:00"). */
  @IsOptional() @Text(1000) alternative?: string;
  /** The entry holding the counter-claim, when it is in the chronology. */
  @IsOptional() @IsUUID() counterEntryId?: string;
  @Text(1000) reason!: string;
}

export class EntryCorrectedDto extends EntryFollowUpDto {
  /** Correctable fields of the report (its type and id never change); checked against the entry's type. */
  @IsObject() changes!: Record<string, unknown>;
  @Text(1000) reason!: string;
}

export class EntryRetractedDto extends EntryFollowUpDto {
  @Text(1000) reason!: string;
}

export class CredibilityAssessedDto extends EntryFollowUpDto {
  @IsIn(CREDIBILITY) credibility!: Credibility;
  @Text(1000) rationale!: string;
}
