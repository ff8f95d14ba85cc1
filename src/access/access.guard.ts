import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Statement } from 'better-sqlite3';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config';
import { READ_DB, tablesOf, type ReadDb } from '../projections/projection';
import { AppError } from '../shared/errors';
import {
  ANONYMOUS,
  hashKey,
  principalOfKey,
  type Permission,
  type Principal,
  type Role,
} from './access.model';

/** What a route needs: a permission, any valid key ('authenticated'), or nothing ('public'). */
export type RouteAccess = Permission | 'authenticated' | 'public';
const ACCESS = 'crisis-chronology:access';
export const Access = (access: RouteAccess): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, access);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

interface KeyRow {
  key_id: string;
  name: string;
  role: Role;
  revoked_at: string | null;
}

/**
 * Authenticates `Authorization: Bearer <key>` against the hashed keys of the access read model and
 * checks the route's permission. A route without an @Access declaration needs admin: fail closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private lookup: Statement<[string], KeyRow> | null = null;

  constructor(
    private readonly reflector: Reflector,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access =
      this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'admin';
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = this.authenticate(request.headers.authorization);
    request.principal = principal;
    if (access === 'public' || (access === 'read' && this.config.publicReads)) return true;
    if (principal === ANONYMOUS) {
      throw new AppError(
        'unauthorized',
        'an API key is required: Authorization: Bearer <key>',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    }
    if (access === 'authenticated' || principal.permissions.has(access)) return true;
    throw new AppError('forbidden', `the ${principal.role} role may not do this (needs ${access})`);
  }

  private authenticate(header: string | undefined): Principal {
    if (header === undefined) return ANONYMOUS;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized('the Authorization header must be "Bearer <key>"');
    this.lookup ??= this.db.prepare<[string], KeyRow>(
      `SELECT key_id, name, role, revoked_at FROM ${tablesOf('access')('keys')} WHERE key_hash = ?`,
    );
    const row = this.lookup.get(hashKey(m[1]!));
    if (!row) throw unauthorized('unknown API key');
    if (row.revoked_at) throw unauthorized(`API key ${row.key_id} was revoked`);
    return principalOfKey(row.key_id, row.name, row.role);
  }
}

function unauthorized(message: string): AppError {
  return new AppError('unauthorized', message, {}, { 'www-authenticate': 'Bearer error="invalid_token"' });
}
