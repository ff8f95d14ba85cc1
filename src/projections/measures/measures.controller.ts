import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Access } from '../../auth/access.guard';
import { MEASURE_KINDS, MEASURE_STATES, type MeasureKind, type MeasureState } from '../../chronology/events';
import { AppError } from '../../shared/errors';
import { Valid } from '../../shared/validation';
import { RequireCaughtUp } from '../caught-up.guard';
import { READ_RESPONSES } from '../openapi.responses';
import { ReadConsistency } from '../read-consistency';
import { READERS, type PooledReaders } from '../read-pool/readers';
import { AsOfQueryDto, CommaList } from '../read-query.dto';
import { ScopeResolver } from '../scope';
import { boundMillis } from '../timeline/timeline.filter';

class MeasureAtDto extends AsOfQueryDto {
  @ApiPropertyOptional({
    description:
      'The valid time to give each state at (ISO 8601 with offset, or a date: its start in UTC); default: now. Independent of asOf/atPosition, which travel in transaction time.',
  })
  @IsOptional()
  @IsString()
  @Length(4, 40)
  at?: string;
}

class MeasureListDto extends MeasureAtDto {
  @ApiPropertyOptional({ example: 'russia-ukraine-2022' })
  @IsOptional()
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'crisis must be a crisis id (slug)' })
  crisis?: string;

  @ApiPropertyOptional({ enum: MEASURE_KINDS })
  @IsOptional()
  @IsIn(MEASURE_KINDS)
  kind?: MeasureKind;

  @ApiPropertyOptional({
    description: 'States at `at`, comma-separated; `none`: no state yet.',
    example: 'imposed,extended',
  })
  @IsOptional()
  @CommaList()
  @IsArray()
  @IsIn([...MEASURE_STATES, 'none'], { each: true })
  state?: (MeasureState | 'none')[];
}

@ApiTags('measures')
@Controller('v1/measures')
@Access('read')
@UseGuards(RequireCaughtUp)
export class MeasuresController {
  constructor(
    @Inject(READERS) private readonly readers: PooledReaders,
    private readonly consistency: ReadConsistency,
    private readonly scopes: ScopeResolver,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Measures (sanctions and others) with the state each was in at `at`.' })
  @ApiOkResponse({ description: 'Every measure matching.', schema: READ_RESPONSES.measures })
  async list(@Query(new Valid(MeasureListDto)) query: MeasureListDto) {
    const position = this.consistency.position;
    const { scope, asOf } = await this.scopes.resolve(query);
    const page = await this.readers.measures.list(
      {
        crisis: query.crisis,
        kind: query.kind,
        state: query.state,
        atMs: query.at === undefined ? undefined : boundMillis(query.at, 'at', 'start'),
      },
      scope,
    );
    return { ...page, position, ...(asOf ? { asOf } : {}) };
  }

  @Get(':measureId')
  @ApiOperation({
    summary:
      "A measure, its state at `at`, and every change of its state in effect order ('state of M as of T').",
  })
  @ApiOkResponse({ description: 'The measure and its history.', schema: READ_RESPONSES.measure })
  async view(@Param('measureId') measureId: string, @Query(new Valid(MeasureAtDto)) query: MeasureAtDto) {
    const position = this.consistency.position;
    const { scope, asOf } = await this.scopes.resolve(query);
    const atMs = query.at === undefined ? undefined : boundMillis(query.at, 'at', 'start');
    const found = await this.readers.measures.view(measureId, atMs, scope);
    if (!found) {
      throw new AppError(
        'not_found',
        asOf ? `measure ${measureId} was not registered at that moment` : `measure ${measureId} not found`,
      );
    }
    return { ...found, position, ...(asOf ? { asOf } : {}) };
  }
}
