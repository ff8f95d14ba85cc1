import { Body, Controller, Get, Headers, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { arr, int, obj, str } from '../http/openapi-schema';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Access } from '../auth/access.guard';
import { ANONYMOUS } from '../auth/access.model';
import { AppError } from '../shared/errors';
import { toProblem } from '../http/problem-details';
import { MAX_BATCH_ITEMS } from './batch-writer';
import { ChronologyService, type WriteContext } from './chronology.service';
import { PostEventDto } from './dto/post-event.dto';
import { CATALOGUE, type KnownTypeName } from './events/catalogue';
import { eventSchemas } from './events/event-schemas';
import { EXAMPLES } from './events/examples';

const HEADER_ID = /^[\w.:-]{1,128}$/;

@ApiTags('events')
@Controller('v1')
export class ChronologyController {
  private readonly logger = new Logger('Events');

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
    const context = writeContext(request, body);
    const result = await this.chronology.post(body, ifMatch, context);
    void reply
      .status(result.status)
      .header('etag', `"${result.body.revision}"`)
      .header('x-correlation-id', context.correlationId);
    return result.body;
  }

  @Post('events/batch')
  @Access('authenticated')
  @HttpCode(200)
  @ApiOperation({
    summary: `Append up to ${MAX_BATCH_ITEMS} events in one call, each decided as POST /v1/events would, committed in as few transactions as they allow.`,
    description:
      'Body: {"items": [event, ...]}, each item a POST /v1/events body, optionally with a "ref"; a later ' +
      'item names the entry an earlier one started by "@<ref>" in an entry-id field. The answer lists ' +
      'every item in order with its status: 201 or 200 and what POST would answer, or a problem document. ' +
      'One item failing does not stop the others. Bodies are limited to BODY_LIMIT_BYTES (1 MiB by default).',
  })
  async postBatch(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = writeContext(request, body);
    const items = (body as { items?: unknown }).items;
    if (!Array.isArray(items) || Object.keys(body as object).some((k) => k !== 'items')) {
      throw AppError.validation([
        { path: 'items', message: 'send {"items": [...]}: an array of events, and nothing else' },
      ]);
    }
    const outcomes = await this.chronology.postMany(items, context);
    const answers = outcomes.map((o) => {
      const named = { index: o.index, ...(o.ref ? { ref: o.ref } : {}) };
      if ('result' in o) return { ...named, status: o.result.status, ...o.result.body };
      const { problem } = toProblem(o.error, `/v1/events/batch#${o.index}`);
      if (problem.status >= 500) this.logger.error(o.error);
      return { ...named, status: problem.status, problem };
    });
    // Nothing was stored and the store is why: the request as a whole is what failed.
    const failures = outcomes.filter((o) => 'error' in o);
    if (failures.length > 0 && failures.length === outcomes.length && answers.every((a) => a.status >= 500)) {
      throw (failures[0] as { error: unknown }).error;
    }
    void reply.header('x-correlation-id', context.correlationId);
    return {
      stored: answers.filter((a) => a.status === 201).length,
      alreadyStored: answers.filter((a) => a.status === 200).length,
      failed: failures.length,
      items: answers,
    };
  }

  @Get('event-types')
  @Access('read')
  @ApiOperation({
    summary:
      'The event catalogue: every type a client may post, with its family, schema version, the JSON Schema of its data and an example.',
  })
  @ApiOkResponse({
    description: 'Every event type.',
    schema: obj({
      items: arr(
        obj({
          type: str(),
          family: str(),
          schemaVersion: int(),
          description: str(),
          schema: obj({}, {}, { description: 'JSON Schema of the data (draft 2019-09 subset, inlined).' }),
          example: obj({ type: str(), data: obj({}) }),
        }),
      ),
    }),
  })
  eventTypes() {
    return {
      items: [...CATALOGUE.values()].map((t) => ({
        type: t.name,
        family: t.family,
        schemaVersion: t.schemaVersion,
        description: t.description,
        schema: eventSchemas().byType.get(t.name),
        example: { type: t.name, data: EXAMPLES[t.name as KnownTypeName] },
      })),
    };
  }
}

/** Who writes, from the request; and the checks every write body passes first. */
function writeContext(request: FastifyRequest, body: unknown): WriteContext {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new AppError(
      'unsupported_media_type',
      `send JSON (Content-Type: application/json), not "${contentType || 'nothing'}"`,
    );
  }
  if (body === undefined || body === null)
    throw new AppError('malformed_json', 'the body is empty; send a JSON object');
  return {
    principal: request.principal ?? ANONYMOUS,
    correlationId: headerId(request, 'x-correlation-id') ?? randomUUID(),
    causationId: headerId(request, 'x-causation-id') ?? null,
  };
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
