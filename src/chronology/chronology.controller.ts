import { Body, Controller, Get, Headers, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Access } from '../auth/access.guard';
import { ANONYMOUS } from '../auth/access.model';
import { AppError } from '../shared/errors';
import { ChronologyService } from './chronology.service';
import { PostEventDto } from './dto/post-event.dto';
import { CATALOGUE } from './events/catalogue';

const HEADER_ID = /^[\w.:-]{1,128}$/;

@ApiTags('events')
@Controller('v1')
export class ChronologyController {
  constructor(private readonly chronology: ChronologyService) {}

  @Post('events')
  @Access('authenticated')
  @ApiOperation({ summary: 'Append one event; reports start entries, follow-ups name data.entryId.' })
  @ApiBody({ type: PostEventDto })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Expected revision of the stream, e.g. "3".' })
  async post(
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
      throw new AppError(
        'unsupported_media_type',
        `send JSON (Content-Type: application/json), not "${contentType || 'nothing'}"`,
      );
    }
    if (body === undefined || body === null)
      throw new AppError('malformed_json', 'the body is empty; send a JSON object');
    const correlationId = headerId(request, 'x-correlation-id') ?? randomUUID();
    const result = await this.chronology.post(body, ifMatch, {
      principal: request.principal ?? ANONYMOUS,
      correlationId,
      causationId: headerId(request, 'x-causation-id') ?? null,
    });
    void reply
      .status(result.status)
      .header('etag', `"${result.body.revision}"`)
      .header('x-correlation-id', correlationId);
    return result.body;
  }

  @Get('event-types')
  @Access('read')
  @ApiOperation({
    summary: 'The event catalogue: every type a client may post, with its family, schema version and codes.',
  })
  eventTypes() {
    return {
      items: [...CATALOGUE.values()].map((t) => ({
        type: t.name,
        family: t.family,
        schemaVersion: t.schemaVersion,
        description: t.description,
      })),
    };
  }
}

function headerId(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !HEADER_ID.test(value)) {
    throw AppError.validation([
      { path: name, message: `${name} must be 1-128 letters, digits, '.', ':', '_' or '-'` },
    ]);
  }
  return value;
}
