import { Controller, Get, Header, Inject, Param, ParseUUIDPipe, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READ_RESPONSES } from '../openapi.responses';
import { Access } from '../../auth/access.guard';
import { AppError } from '../../shared/errors';
import { Valid } from '../../shared/validation';
import { RequireCaughtUp } from '../caught-up.guard';
import { ReadConsistency } from '../read-consistency';
import { AsOfQueryDto } from '../read-query.dto';
import { ScopeResolver } from '../scope';
import {
  JSON_READERS,
  READERS,
  withMembers,
  type JsonReaders,
  type PooledReaders,
} from '../read-pool/readers';
import { TimelineQueryDto } from './timeline-query.dto';
import { HistogramQueryDto } from './timeline.histogram.dto';
import { HISTOGRAM_RESPONSE } from './timeline.histogram.openapi';

@ApiTags('timeline')
@Controller('v1')
@Access('read')
@UseGuards(RequireCaughtUp)
export class TimelineController {
  constructor(
    @Inject(READERS) private readonly readers: PooledReaders,
    @Inject(JSON_READERS) private readonly json: JsonReaders,
    private readonly consistency: ReadConsistency,
    private readonly scopes: ScopeResolver,
  ) {}

  @Get('timeline')
  @ApiOkResponse({ description: 'A page of entries in timeline order.', schema: READ_RESPONSES.timeline })
  @ApiOperation({
    summary:
      'Entries in timeline order (docs/ordering.md): by when they can have begun, finer precision first, links deciding within an overlap.',
  })
  @Header('content-type', 'application/json; charset=utf-8')
  async timeline(@Query(new Valid(TimelineQueryDto)) query: TimelineQueryDto): Promise<string> {
    const position = this.consistency.position; // taken first: the read reflects at least this
    const { scope, asOf } = await this.scopes.resolve(query);
    const page = await this.json.timeline.page(query, scope);
    return withMembers(page, { position, ...(asOf ? { asOf } : {}) });
  }

  @Get('timeline/histogram')
  @ApiOkResponse({ description: 'Entry counts per bucket of time.', schema: HISTOGRAM_RESPONSE })
  @ApiOperation({
    summary:
      "Entry counts of the timeline per day, week, month or year (UTC) of their occurred start, with the timeline's filters: what the timeline lists, counted in one aggregate read. Current state only (no asOf or atPosition).",
  })
  @Header('content-type', 'application/json; charset=utf-8')
  async histogram(@Query(new Valid(HistogramQueryDto)) query: HistogramQueryDto): Promise<string> {
    const position = this.consistency.position; // taken first: the counts reflect at least this
    return withMembers(await this.json.timeline.histogram(query), { position });
  }

  @Get('entries/:entryId')
  @ApiOkResponse({ description: 'The entry with its history.', schema: READ_RESPONSES.entry })
  @ApiOperation({ summary: 'An entry as it stands now, with its full event history.' })
  async entry(
    @Param(
      'entryId',
      new ParseUUIDPipe({
        exceptionFactory: () => AppError.validation([{ path: 'entryId', message: 'entryId must be a UUID' }]),
      }),
    )
    entryId: string,
    @Query(new Valid(AsOfQueryDto)) query: AsOfQueryDto,
  ) {
    const { scope, asOf } = await this.scopes.resolve(query);
    const found = await this.readers.timeline.entry(entryId, scope);
    if (!found)
      throw new AppError(
        'not_found',
        asOf ? `entry ${entryId} did not exist at that moment` : `entry ${entryId} not found`,
      );
    return { ...found.entry, history: found.history, ...(asOf ? { asOf } : {}) };
  }

  @Get('crises')
  @ApiOkResponse({ description: 'Every crisis.', schema: READ_RESPONSES.crises })
  @ApiOperation({ summary: 'Crises, with their entry counts.' })
  async crises(@Query(new Valid(AsOfQueryDto)) query: AsOfQueryDto) {
    const position = this.consistency.position;
    const { scope, asOf } = await this.scopes.resolve(query);
    return { items: await this.readers.timeline.crises(scope), position, ...(asOf ? { asOf } : {}) };
  }
}
