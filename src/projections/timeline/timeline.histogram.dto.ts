import { ApiHideProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Equals, IsIn, IsOptional } from 'class-validator';
import { BUCKET_UNITS, MAX_AUTO_BUCKETS, type BucketChoice } from './timeline.histogram';
import { TimelineQueryDto } from './timeline-query.dto';

const CHOICES: readonly BucketChoice[] = [...BUCKET_UNITS, 'auto'];

/** Refuses a parameter whenever it is given, with a message saying why (as-of: see below). */
const NotHere = (name: string) =>
  Equals(undefined, {
    message: `${name} is not supported here: the histogram counts the current timeline (GET /v1/timeline takes ${name})`,
  });

/**
 * The timeline's filters and a bucket unit. No page (limit, cursor): every match is counted. No
 * as-of read: the histogram reads the current key index, which has no past states; asOf and
 * atPosition are refused by name rather than taken as unknown parameters.
 */
export class HistogramQueryDto extends OmitType(TimelineQueryDto, [
  'limit',
  'cursor',
  'asOf',
  'atPosition',
] as const) {
  @ApiPropertyOptional({
    description: `Calendar unit of the buckets, in UTC (a week starts on Monday); \`auto\`: the finest unit that cuts the range (from/to, or the matches' earliest and latest start) into at most ${MAX_AUTO_BUCKETS} buckets.`,
    enum: CHOICES,
    default: 'auto',
  })
  @IsOptional()
  @IsIn(CHOICES, { message: `bucket must be one of ${CHOICES.join(', ')}` })
  bucket?: BucketChoice;

  @ApiHideProperty()
  @IsOptional()
  @NotHere('asOf')
  asOf?: undefined;

  @ApiHideProperty()
  @IsOptional()
  @NotHere('atPosition')
  atPosition?: undefined;
}
