import {
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  ParseUUIDPipe,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
  OmitType,
} from '@nestjs/swagger';
import { IsArray, IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.guard';
import { KNOWN_TYPES } from '../chronology/events';
import { EVENT_STORE, type EventStore } from '../event-store';
import { RequireCaughtUp } from '../projections/caught-up.guard';
import { BooleanParam, CommaList, ReadQueryDto } from '../projections/read-query.dto';
import { CURRENT } from '../projections/scope';
import { TimelineReader } from '../projections/timeline/timeline.reader';
import { TimelineQueryDto } from '../projections/timeline/timeline-query.dto';
import { AppError } from '../shared/errors';
import { Valid } from '../shared/validation';
import { EventsFeed, TimelineFeed } from './feeds';
import { LiveHub } from './live-hub';

class ResumeDto extends ReadQueryDto {
  @ApiPropertyOptional({
    description: 'Resume after this position (like the Last-Event-ID header). Default: from now.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 41)
  after?: string;
}

class TimelineLiveQueryDto extends OmitType(TimelineQueryDto, [
  'cursor',
  'limit',
  'asOf',
  'atPosition',
] as const) {
  @ApiPropertyOptional({
    description: 'Resume after this position (like the Last-Event-ID header). Default: from now.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 41)
  after?: string;
}

class ActorLiveQueryDto extends ResumeDto {
  @ApiPropertyOptional() @IsOptional() @BooleanParam() @IsBoolean() includeMembers?: boolean;
}

class EventsLiveQueryDto extends ResumeDto {
  @ApiPropertyOptional({ description: 'Only these event types, comma-separated.' })
  @IsOptional()
  @CommaList()
  @IsArray()
  @IsIn(KNOWN_TYPES, { each: true })
  type?: string[];
}

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => AppError.validation([{ path: 'entryId', message: 'entryId must be a UUID' }]),
});

/** Server-Sent Events: `id:` is the log position; resume with Last-Event-ID or ?after=. */
/** Every live route answers a Server-Sent Events stream (docs/api-guide.md, "Live feeds"). */
const EVENT_STREAM = {
  description:
    'Server-Sent Events: each message has `id:` (its log position, for Last-Event-ID), `event:` and JSON `data:`; comments keep the connection alive.',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
};

@ApiTags('live')
@Controller('v1')
@Access('read')
export class LiveController {
  constructor(
    private readonly hub: LiveHub,
    private readonly timeline: TimelineReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('timeline/live')
  @UseGuards(RequireCaughtUp)
  @ApiProduces('text/event-stream')
  @ApiOkResponse(EVENT_STREAM)
  @ApiOperation({
    summary:
      'Timeline rows as entries are added or updated (entry.added, entry.updated); same filters as the timeline.',
  })
  async timelineLive(
    @Query(new Valid(TimelineLiveQueryDto)) query: TimelineLiveQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filter = (await this.timeline.filter(query, CURRENT)) ?? { entryId: '-none-' };
    await this.hub.open(reply, new TimelineFeed(this.timeline, filter), lastEventId ?? query.after ?? null);
  }

  @Get('actors/:actorId/live')
  @UseGuards(RequireCaughtUp)
  @ApiProduces('text/event-stream')
  @ApiOkResponse(EVENT_STREAM)
  @ApiOperation({
    summary: 'Entries involving an actor (optionally its members), as they are added or updated.',
  })
  async actorLive(
    @Param('actorId') actorId: string,
    @Query(new Valid(ActorLiveQueryDto)) query: ActorLiveQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filter = (await this.timeline.filter(
      { actor: actorId, includeMembers: query.includeMembers },
      CURRENT,
    ))!;
    await this.hub.open(reply, new TimelineFeed(this.timeline, filter), lastEventId ?? query.after ?? null);
  }

  @Get('entries/:entryId/live')
  @UseGuards(RequireCaughtUp)
  @ApiProduces('text/event-stream')
  @ApiOkResponse(EVENT_STREAM)
  @ApiOperation({ summary: 'One entry, each time it changes.' })
  async entryLive(
    @Param('entryId', uuid) entryId: string,
    @Query(new Valid(ResumeDto)) query: ResumeDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.hub.open(
      reply,
      new TimelineFeed(this.timeline, { entryId }),
      lastEventId ?? query.after ?? null,
    );
  }

  @Get('events/live')
  @ApiProduces('text/event-stream')
  @ApiOkResponse(EVENT_STREAM)
  @ApiOperation({
    summary:
      'The raw log for integrators: every event as stored (event.appended); API key events only for admins.',
  })
  async eventsLive(
    @Query(new Valid(EventsLiveQueryDto)) query: EventsLiveQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const types = query.type?.length ? new Set(query.type) : null;
    const admin = request.principal?.permissions.has('admin') ?? false;
    await this.hub.open(
      reply,
      new EventsFeed(this.store, this.hub, types, admin),
      lastEventId ?? query.after ?? null,
    );
  }
}
