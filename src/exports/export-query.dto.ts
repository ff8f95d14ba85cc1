import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TimelineQueryDto } from '../projections/timeline/timeline-query.dto';

/** Entries read from the read models per chunk, unless the request says otherwise. */
export const EXPORT_PAGE = 500;
export const EXPORT_PAGE_MAX = 1000;

/** The timeline's filters and as-of parameters; an export has no page size or cursor of its own. */
export class ExportQueryDto extends OmitType(TimelineQueryDto, ['limit', 'cursor'] as const) {
  @ApiPropertyOptional({
    description:
      'Entries read per chunk (each chunk one read in a read worker). Tuning only: the output is the same.',
    minimum: 1,
    maximum: EXPORT_PAGE_MAX,
    default: EXPORT_PAGE,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(EXPORT_PAGE_MAX)
  pageSize?: number;
}
