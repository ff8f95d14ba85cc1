import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { READ_RESPONSES } from '../openapi.responses';
import { IsIn, IsOptional } from 'class-validator';
import { Access } from '../../auth/access.guard';
import { RELIABILITY } from '../../chronology/events';
import { AppError } from '../../shared/errors';
import { Valid } from '../../shared/validation';
import { RequireCaughtUp } from '../caught-up.guard';
import { ReadConsistency } from '../read-consistency';
import { LimitParam, ReadQueryDto } from '../read-query.dto';
import { READERS, type PooledReaders } from '../read-pool/readers';

class SourceListQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ enum: RELIABILITY }) @IsOptional() @IsIn(RELIABILITY) reliability?: string;
}

class SourceViewQueryDto extends ReadQueryDto {
  @LimitParam(500, 50)
  limit?: number;
}

@ApiTags('sources')
@Controller('v1/sources')
@Access('read')
@UseGuards(RequireCaughtUp)
export class SourcesController {
  constructor(
    @Inject(READERS) private readonly readers: PooledReaders,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Every source with its grade.', schema: READ_RESPONSES.sources })
  @ApiOperation({ summary: 'Sources with their current reliability grade and counts.' })
  async list(@Query(new Valid(SourceListQueryDto)) query: SourceListQueryDto) {
    const position = this.consistency.position; // taken first: the read reflects at least this
    return { items: await this.readers.sources.list(query.reliability), position };
  }

  @Get(':sourceId')
  @ApiOkResponse({
    description: 'The source, its grading history and what cites it.',
    schema: READ_RESPONSES.source,
  })
  @ApiOperation({ summary: 'A source: grading history, entries it carried, corroborations it gave.' })
  async view(
    @Param('sourceId') sourceId: string,
    @Query(new Valid(SourceViewQueryDto)) query: SourceViewQueryDto,
  ) {
    const position = this.consistency.position;
    const view = await this.readers.sources.view(sourceId, query.limit ?? 50);
    if (!view) throw new AppError('not_found', `source ${sourceId} not found`);
    return { ...view, position };
  }
}
