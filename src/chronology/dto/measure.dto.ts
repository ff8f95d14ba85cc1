import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { MEASURE_KINDS, MEASURE_STATES, type MeasureKind, type MeasureState } from '../events/vocabulary';
import { IsSlug, IsSlugList, OccurredDto, Text } from './common.dto';

/** A measure as an entity of a crisis: what it is, who takes it, against whom. */
export class MeasureRegisteredDto {
  @IsSlug() measureId!: string;
  @IsSlug() crisisId!: string;
  @IsIn(MEASURE_KINDS) kind!: MeasureKind;
  @Text(200) name!: string;
  @IsOptional() @Text(2000) description?: string;
  @IsArray() @ArrayMaxSize(50) @IsSlugList() byActorIds!: string[];
  @IsArray() @ArrayMaxSize(50) @IsSlugList() targetActorIds!: string[];
}

/** A measure moves to a state, from `effective`, as a source says (optionally, in a report). */
export class MeasureStatusChangedDto {
  @IsSlug() measureId!: string;
  @IsIn(MEASURE_STATES) status!: MeasureState;
  @IsDefined() @ValidateNested() @Type(() => OccurredDto) effective!: OccurredDto;
  @IsOptional() @ValidateNested() @Type(() => OccurredDto) plannedFor?: OccurredDto;
  @IsOptional() @ValidateNested() @Type(() => OccurredDto) until?: OccurredDto;
  @IsSlug() sourceId!: string;
  @IsOptional() @IsUUID() entryId?: string;
  @IsOptional() @Text(1000) note?: string;
}
