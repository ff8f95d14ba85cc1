import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { arr, bool, instant, nullable, obj, position, str } from '../http/openapi-schema';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { Valid } from '../shared/validation';
import { Access } from '../auth/access.guard';
import { RequireCaughtUp } from '../projections/caught-up.guard';
import { ANONYMOUS, ROLES, type Role } from '../auth/access.model';
import { AccessService } from './access.service';

class IssueKeyDto {
  @ApiProperty({ example: 'newsroom-desk' }) @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
}

class RevokeKeyDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

const KEY = obj({
  keyId: str(),
  name: str(),
  role: str({ enum: [...ROLES] }),
  issuedAt: instant(),
  issuedBy: str(),
  revokedAt: nullable(instant()),
  legacyDigest: bool({ description: 'Stored by an older version (plain SHA-256): reissue it.' }),
});

@ApiTags('access')
@Controller('v1')
export class AccessController {
  constructor(private readonly access: AccessService) {}

  @Get('me')
  @Access('authenticated')
  @ApiOperation({ summary: 'The principal behind the presented key.' })
  @ApiOkResponse({
    description: 'Who the key is and what it may do.',
    schema: obj({ principal: str(), name: str(), role: str(), permissions: arr(str()) }),
  })
  me(@Req() request: FastifyRequest) {
    const p = request.principal ?? ANONYMOUS;
    return { principal: p.id, name: p.name, role: p.role, permissions: [...p.permissions] };
  }

  @Post('admin/keys')
  @Access('admin')
  @ApiOperation({ summary: 'Issue an API key (shown once).' })
  @ApiCreatedResponse({
    description: 'The key, shown this once.',
    schema: obj({ keyId: str(), key: str(), name: str(), role: str(), position: position() }),
  })
  issue(@Body(new Valid(IssueKeyDto)) body: IssueKeyDto, @Req() request: FastifyRequest) {
    return this.access.issue(body.name, body.role, request.principal ?? ANONYMOUS);
  }

  @Get('admin/keys')
  @Access('admin')
  @UseGuards(RequireCaughtUp)
  @ApiOperation({ summary: 'Every key ever issued (never the key or its hash).' })
  @ApiOkResponse({ description: 'Every key.', schema: obj({ items: arr(KEY) }) })
  list() {
    return { items: this.access.list() };
  }

  @UseGuards(RequireCaughtUp)
  @Delete('admin/keys/:keyId')
  @Access('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key; requests with it get 401 from then on.' })
  @ApiOkResponse({
    description: 'Revoked.',
    schema: obj({ keyId: str(), revoked: bool(), position: position() }),
  })
  revoke(
    @Param('keyId') keyId: string,
    @Body(new Valid(RevokeKeyDto)) body: RevokeKeyDto,
    @Req() request: FastifyRequest,
  ) {
    return this.access.revoke(keyId, body.reason ?? 'revoked', request.principal ?? ANONYMOUS);
  }
}
