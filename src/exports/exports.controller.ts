import { Controller, Get, Inject, Param, Query, Res, UseGuards, type PipeTransform } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Access } from '../auth/access.guard';
import { RequireCaughtUp } from '../projections/caught-up.guard';
import { ReadConsistency } from '../projections/read-consistency';
import { READERS, type PooledReaders } from '../projections/read-pool/readers';
import { ScopeResolver, type Scope } from '../projections/scope';
import { AppError } from '../shared/errors';
import { nextTurn } from '../shared/turn';
import { Valid } from '../shared/validation';
import type { ExportFormat } from './export-format';
import { exportPages } from './export-pages';
import { EXPORT_PAGE, ExportQueryDto } from './export-query.dto';
import { str } from '../http/openapi-schema';
import { GEOJSON_SCHEMA, TEXT_SCHEMA, TIMELINEJS_SCHEMA } from './exports.openapi';
import { EXPORT_FORMATS, FORMAT_NAMES } from './formats';

/** The format named in the path, or a 404 naming the known ones. */
class FormatPipe implements PipeTransform<string, ExportFormat> {
  transform(name: string): ExportFormat {
    const format = EXPORT_FORMATS.get(name);
    if (!format) {
      throw new AppError(
        'not_found',
        `no export format "${name}": the formats are ${FORMAT_NAMES.join(', ')}`,
        { knownFormats: FORMAT_NAMES },
      );
    }
    return format;
  }
}

/** Headers a browser script may read on a cross-origin export (when CORS_ORIGINS allows it). */
const EXPOSED = ['x-export-position', 'content-disposition'];
/** Bytes buffered ahead of the socket: past this the next page is not read until the client reads. */
const HIGH_WATER_MARK = 64 * 1024;

@ApiTags('exports')
@Controller('v1/exports')
@Access('read')
export class ExportsController {
  constructor(
    @Inject(READERS) private readonly readers: PooledReaders,
    private readonly consistency: ReadConsistency,
    private readonly scopes: ScopeResolver,
  ) {}

  @Get(':format')
  @UseGuards(RequireCaughtUp)
  @ApiOperation({
    summary:
      "Timeline entries as a file (ndjson, csv, acled, geojson, timelinejs), with the timeline's filters and asOf/atPosition; streamed, and pinned to one log position (the x-export-position header): entries recorded during the export are not in it (docs/exports.md).",
  })
  @ApiParam({ name: 'format', enum: FORMAT_NAMES })
  @ApiProduces('application/x-ndjson', 'text/csv', 'application/geo+json', 'application/json')
  @ApiOkResponse({
    description:
      'The export, as an attachment (Content-Disposition). ndjson: application/x-ndjson; csv and acled: text/csv; geojson: application/geo+json; timelinejs: application/json. The position it is pinned to is in x-export-position.',
    headers: {
      'x-export-position': {
        description: 'The log position the export shows the chronology at.',
        schema: str(),
      },
      'content-disposition': {
        description: 'attachment; filename="chronology-<position>.<ext>"',
        schema: str(),
      },
    },
    content: {
      'application/x-ndjson': { schema: TEXT_SCHEMA },
      'text/csv': { schema: TEXT_SCHEMA },
      'application/geo+json': { schema: GEOJSON_SCHEMA },
      'application/json': { schema: TIMELINEJS_SCHEMA },
    },
  })
  @ApiBadRequestResponse({ description: 'A bad filter (problem+json naming each bad parameter).' })
  @ApiNotFoundResponse({ description: 'No such format (problem+json listing the known formats).' })
  async export(
    @Param('format', new FormatPipe()) format: ExportFormat,
    @Query(new Valid(ExportQueryDto)) query: ExportQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { pageSize = EXPORT_PAGE, ...filters } = query;
    const { scope, position } = await this.pin(filters);
    const pages = exportPages(this.readers, filters, scope, pageSize);
    // The first page is read before answering: a filter the reader refuses is a 400, not a cut stream.
    const first = await pages.next();
    const writer = format.writer();
    async function* body(): AsyncGenerator<string> {
      yield writer.head();
      if (!first.done) yield writer.page(first.value);
      for await (const items of pages) {
        // The page was parsed in this turn (the read pool's answer): it is written in the next one.
        await nextTurn();
        yield writer.page(items);
      }
      yield writer.tail();
    }
    const name = `chronology-${(position ?? 'empty').replace(/[^0-9A-Za-z-]/g, '_')}.${format.extension}`;
    if (position !== null) void reply.header('x-export-position', position);
    if (reply.getHeader('access-control-allow-origin') !== undefined) {
      const exposed = String(reply.getHeader('access-control-expose-headers') ?? '');
      void reply.header('access-control-expose-headers', [exposed, ...EXPOSED].filter(Boolean).join(', '));
    }
    void reply
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .type(format.contentType)
      .send(Readable.from(body(), { objectMode: false, highWaterMark: HIGH_WATER_MARK }));
  }

  /**
   * The state the export shows: the one asOf/atPosition name, or else the read models' position
   * now. Every page reads as of it, so what is recorded during the export is not in it.
   */
  private async pin(query: ExportQueryDto): Promise<{ scope: Scope; position: string | null }> {
    if (query.asOf !== undefined || query.atPosition !== undefined) {
      const { scope, asOf } = await this.scopes.resolve(query);
      return { scope, position: asOf?.position ?? null };
    }
    const position = this.consistency.position;
    if (position === null) return { scope: { kind: 'seq', seq: 0 }, position: null };
    const { scope } = await this.scopes.resolve({ atPosition: position });
    return { scope, position };
  }
}
