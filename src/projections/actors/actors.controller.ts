import { Controller, Get, Header, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { READ_RESPONSES } from '../openapi.responses';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { Access } from '../../auth/access.guard';
import { ACTOR_KINDS } from '../../chronology/events';
import { AppError } from '../../shared/errors';
import { Valid } from '../../shared/validation';
import { RequireCaughtUp } from '../caught-up.guard';
import { ReadConsistency } from '../read-consistency';
import { AsOfQueryDto, BooleanParam, LimitParam } from '../read-query.dto';
import { ScopeResolver } from '../scope';
import { JSON_READERS, withMembers, type JsonReaders } from '../read-pool/readers';

class ActorListQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ enum: ACTOR_KINDS }) @IsOptional() @IsIn(ACTOR_KINDS) kind?: string;
  @ApiPropertyOptional({ description: 'Part of a name, alias or id.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
  @LimitParam(500, 100)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 1000) cursor?: string;
}

class ActorViewQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({
    description: "Roll up the actor's members (e.g. the ministry and its spokeswoman into the state).",
  })
  @IsOptional()
  @BooleanParam()
  @IsBoolean()
  includeMembers?: boolean;
  @LimitParam(500, 50)
  limit?: number;
}

@ApiTags('actors')
@Controller('v1/actors')
@Access('read')
@UseGuards(RequireCaughtUp)
export class ActorsController {
  constructor(
    @Inject(JSON_READERS) private readonly json: JsonReaders,
    private readonly consistency: ReadConsistency,
    private readonly scopes: ScopeResolver,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'A page of actors, by name.', schema: READ_RESPONSES.actors })
  @ApiOperation({ summary: 'Actors with their counts.' })
  @Header('content-type', 'application/json; charset=utf-8')
  async list(@Query(new Valid(ActorListQueryDto)) query: ActorListQueryDto): Promise<string> {
    const position = this.consistency.position; // taken first: the read reflects at least this
    const { scope, asOf } = await this.scopes.resolve(query);
    const page = await this.json.actors.list(query, scope);
    return withMembers(page, { position, ...(asOf ? { asOf } : {}) });
  }

  @Get(':actorId')
  @ApiOkResponse({ description: 'The actor, its members and what it did.', schema: READ_RESPONSES.actor })
  @ApiOperation({
    summary: 'The per-actor view: profile, involvement by role and type, claims, disputed claims.',
  })
  @Header('content-type', 'application/json; charset=utf-8')
  async view(
    @Param('actorId') actorId: string,
    @Query(new Valid(ActorViewQueryDto)) query: ActorViewQueryDto,
  ): Promise<string> {
    const position = this.consistency.position;
    const { scope, asOf } = await this.scopes.resolve(query);
    const view = await this.json.actors.view(
      actorId,
      { includeMembers: query.includeMembers ?? false, limit: query.limit ?? 50 },
      scope,
    );
    if (view === 'null')
      throw new AppError(
        'not_found',
        asOf ? `actor ${actorId} was not registered at that moment` : `actor ${actorId} not found`,
      );
    return withMembers(view, { position, ...(asOf ? { asOf } : {}) });
  }
}
