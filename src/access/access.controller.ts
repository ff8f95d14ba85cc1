import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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

@ApiTags('access')
@Controller('v1')
export class AccessController {
  constructor(private readonly access: AccessService) {}

  @Get('me')
  @Access('authenticated')
  @ApiOperation({ summary: 'The principal behind the presented key.' })
  me(@Req() request: FastifyRequest) {
    const p = request.principal ?? ANONYMOUS;
    return { principal: p.id, name: p.name, role: p.role, permissions: [...p.permissions] };
  }

  @Post('admin/keys')
  @Access('admin')
  @ApiOperation({ summary: 'Issue an API key (shown once).' })
  issue(@Body(new Valid(IssueKeyDto)) body: IssueKeyDto, @Req() request: FastifyRequest) {
    return this.access.issue(body.name, body.role, request.principal ?? ANONYMOUS);
  }

  @Get('admin/keys')
  @Access('admin')
  @UseGuards(RequireCaughtUp)
  @ApiOperation({ summary: 'Every key ever issued (never the key or its hash).' })
  list() {
    return { items: this.access.list() };
  }

  @UseGuards(RequireCaughtUp)
  @Delete('admin/keys/:keyId')
  @Access('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key; requests with it get 401 from then on.' })
  revoke(
    @Param('keyId') keyId: string,
    @Body(new Valid(RevokeKeyDto)) body: RevokeKeyDto,
    @Req() request: FastifyRequest,
  ) {
    return this.access.revoke(keyId, body.reason ?? 'revoked', request.principal ?? ANONYMOUS);
  }
}
