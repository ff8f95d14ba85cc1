import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../access/access.guard';
import { AppError } from '../../shared/errors';
import { Valid } from '../../shared/validation';
import { ReadConsistency } from '../read-consistency';
import { AsOfQueryDto } from '../read-query.dto';
import { ScopeResolver } from '../scope';
import { TimelineQueries } from './timeline.queries';
import { TimelineQueryDto } from './timeline-query.dto';

@ApiTags('timeline')
@Controller('v1')
@Access('read')
export class TimelineController {
  constructor(
    private readonly queries: TimelineQueries,
    private readonly consistency: ReadConsistency,
    private readonly scopes: ScopeResolver,
  ) {}

  @Get('timeline')
  @ApiOperation({ summary: 'Entries ordered by when they happened (occurred start), then log position.' })
  timeline(@Query(new Valid(TimelineQueryDto)) query: TimelineQueryDto) {
    const { scope, asOf } = this.scopes.resolve(query);
    const page = this.queries.page(query, scope);
    return { ...page, position: this.consistency.position, ...(asOf ? { asOf } : {}) };
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
    @Query(new Valid(AsOfQueryDto)) query: AsOfQueryDto,
  ) {
    const { scope, asOf } = this.scopes.resolve(query);
    const found = this.queries.entry(entryId, scope);
    if (!found)
      throw new AppError(
        'not_found',
        asOf ? `entry ${entryId} did not exist at that moment` : `entry ${entryId} not found`,
      );
    return { ...found.entry, history: found.history, ...(asOf ? { asOf } : {}) };
  }

  @Get('crises')
  @ApiOperation({ summary: 'Crises, with their entry counts.' })
  crises(@Query(new Valid(AsOfQueryDto)) query: AsOfQueryDto) {
    const { scope, asOf } = this.scopes.resolve(query);
    return {
      items: this.queries.crises(scope),
      position: this.consistency.position,
      ...(asOf ? { asOf } : {}),
    };
  }
}
