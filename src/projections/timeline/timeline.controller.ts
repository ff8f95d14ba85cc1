import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../access/access.guard';
import { AppError } from '../../shared/errors';
import { Valid } from '../../shared/validation';
import { ReadConsistency } from '../read-consistency';
import { ReadQueryDto } from '../read-query.dto';
import { TimelineQueries } from './timeline.queries';
import { TimelineQueryDto } from './timeline-query.dto';

@ApiTags('timeline')
@Controller('v1')
@Access('read')
export class TimelineController {
  constructor(
    private readonly queries: TimelineQueries,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get('timeline')
  @ApiOperation({ summary: 'Entries ordered by when they happened (occurred start), then log position.' })
  timeline(@Query(new Valid(TimelineQueryDto)) query: TimelineQueryDto) {
    const page = this.queries.page(query);
    return { ...page, position: this.consistency.position };
  }

  @Get('entries/:entryId')
  @ApiOperation({ summary: 'An entry as it stands now, with its full event history.' })
  entry(
    @Param(
      'entryId',
      new ParseUUIDPipe({
        exceptionFactory: () => AppError.validation([{ path: 'entryId', message: 'entryId must be a UUID' }]),
      }),
    )
    entryId: string,
    @Query(new Valid(ReadQueryDto)) _query: ReadQueryDto,
  ) {
    const found = this.queries.entry(entryId);
    if (!found) throw new AppError('not_found', `entry ${entryId} not found`);
    return { ...found.entry, history: found.history, asOfPosition: this.consistency.position };
  }

  @Get('crises')
  @ApiOperation({ summary: 'Crises, with their entry counts.' })
  crises(@Query(new Valid(ReadQueryDto)) _query: ReadQueryDto) {
    return { items: this.queries.crises(), position: this.consistency.position };
  }
}
