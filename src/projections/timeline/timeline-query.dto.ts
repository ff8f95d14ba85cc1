import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { DISPUTABLE_FIELDS, ENTRY_STATUSES, REPORT_TYPE_NAMES, RELIABILITY } from '../../chronology/events';
import { AsOfQueryDto, BooleanParam, CommaList, LimitParam } from '../read-query.dto';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class TimelineQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ example: 'russia-ukraine-2022' })
  @IsOptional()
  @Matches(SLUG, { message: 'crisis must be a crisis id (slug)' })
  crisis?: string;

  @ApiPropertyOptional({
    description: 'Entries still happening at or after this instant (ISO 8601 with offset, or a date in UTC).',
  })
  @IsOptional()
  @IsString()
  @Length(4, 40)
  from?: string;

  @ApiPropertyOptional({
    description: 'Entries that began before this instant (a date includes the whole day, UTC).',
  })
  @IsOptional()
  @IsString()
  @Length(4, 40)
  to?: string;

  @ApiPropertyOptional({
    description: 'Report types, comma-separated.',
    example: 'ShellingAlleged,DenialIssued',
  })
  @IsOptional()
  @CommaList()
  @IsArray()
  @IsIn(REPORT_TYPE_NAMES, { each: true })
  type?: string[];

  @ApiPropertyOptional({ example: 'russia' })
  @IsOptional()
  @Matches(SLUG, { message: 'actor must be an actor id (slug)' })
  actor?: string;

  @ApiPropertyOptional({
    description: "With actor: also entries of the actor's members (parent and memberOf links).",
  })
  @IsOptional()
  @BooleanParam()
  @IsBoolean()
  includeMembers?: boolean;

  @ApiPropertyOptional({
    description: 'Entries linked with this entry, either way, by links in force (EntryLinked).',
    format: 'uuid',
  })
  @IsOptional()
  @IsUUID()
  linkedTo?: string;

  @ApiPropertyOptional({
    description:
      'Entries whose disputes contest any of these report fields, comma-separated; `*`: disputes of the whole entry.',
    example: 'occurred,quantities',
  })
  @IsOptional()
  @CommaList()
  @IsArray()
  @IsIn([...DISPUTABLE_FIELDS, '*'], { each: true })
  disputed?: string[];

  @ApiPropertyOptional({
    description:
      'Entries naming a place in any of these countries (ISO 3166-1 alpha-2), comma-separated; a disputed place counts for each state claiming it.',
    example: 'UA',
  })
  @IsOptional()
  @CommaList()
  @IsArray()
  @IsISO31661Alpha2({ each: true })
  country?: string[];

  @ApiPropertyOptional({
    description: 'Entries naming a place of this name (case does not matter).',
    example: 'Kharkiv',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  place?: string;

  @ApiPropertyOptional({ description: 'Statuses, comma-separated.', example: 'disputed,refuted' })
  @IsOptional()
  @CommaList()
  @IsArray()
  @IsIn(ENTRY_STATUSES, { each: true })
  status?: string[];

  @ApiPropertyOptional({
    description:
      "Only entries graded this reliable or better (A best): an entry with an attribution chain by the chain's grade (grade.chain: its weakest link, the carrying source and each hop's source, an ungraded source or an anonymous hop counting as F, so every chained entry passes at F), any other by its source's grade (an ungraded source never passes). Grades as they stand at the read's position, as-of reads included.",
    enum: RELIABILITY,
  })
  @IsOptional()
  @IsIn(RELIABILITY)
  minReliability?: string;

  @ApiPropertyOptional({ description: 'Words to find in summary, quote or place.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @LimitParam(200, 50)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
