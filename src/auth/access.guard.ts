import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config';
import { AppError } from '../shared/errors';
import { ANONYMOUS, principalOfKey, type Permission, type Principal } from './access.model';
import { KEY_LOOKUP, type KeyLookup } from './key-lookup';
import { sessionTokenOf } from './session';
import { authenticateSession, clearedSessionCookie, sessionKeyId } from './session-auth';

/** What a route needs: a permission, any valid key ('authenticated'), or nothing ('public'). */
export type RouteAccess = Permission | 'authenticated' | 'public';
const ACCESS = 'crisis-chronology:access';
export const Access = (access: RouteAccess): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, access);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * Authenticates `Authorization: Bearer <key>` against the stored key digests of the access read
 * model, or else the session cookie against the key it stands for, and checks the route's
 * permission. A route without an @Access declaration needs admin: fail closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(KEY_LOOKUP) private readonly keys: KeyLookup,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'admin';
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // A public route needs no principal: a key it cannot use (unknown, revoked, not checkable yet)
    // is ignored. Awaited, so that a check that fails later is never a rejection nobody handles.
    if (access === 'public') {
      const principal = this.tryAuthenticate(request);
      if (principal instanceof Promise) {
        return principal.then((p) => {
          request.principal = p;
          return true;
        });
      }
      request.principal = principal;
      return true;
    }
    // A route anyone may read: a session cookie refused (signed out, expired, its key revoked)
    // reads as anonymous, and the answer clears it, rather than a 401 that asks for a key.
    const readable = access === 'read' && this.config.publicReads;
    const refused = (error: unknown): Principal => {
      if (!readable || !request.sessionRefused) throw error;
      void context
        .switchToHttp()
        .getResponse<FastifyReply>()
        .header('set-cookie', clearedSessionCookie(request));
      return ANONYMOUS;
    };
    let principal: Principal | Promise<Principal>;
    try {
      principal = authenticate(this.keys, request);
    } catch (error) {
      principal = refused(error);
    }
    if (principal instanceof Promise) {
      return principal.then(
        (p) => this.authorize(request, access, p),
        (error: unknown) => this.authorize(request, access, refused(error)),
      );
    }
    return this.authorize(request, access, principal);
  }

  private authorize(
    request: FastifyRequest,
    access: Exclude<RouteAccess, 'public'>,
    principal: Principal,
  ): boolean {
    request.principal = principal;
    if (access === 'read' && this.config.publicReads) return true;
    if (principal === ANONYMOUS) {
      throw new AppError(
        'unauthorized',
        'an API key is required: Authorization: Bearer <key>, or the session cookie POST /v1/session sets',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    }
    if (access === 'authenticated' || principal.permissions.has(access)) return true;
    throw new AppError('forbidden', `the ${principal.role} role may not do this (needs ${access})`);
  }

  private tryAuthenticate(request: FastifyRequest): Principal | Promise<Principal> {
    try {
      const principal = authenticate(this.keys, request);
      return principal instanceof Promise ? principal.catch(() => ANONYMOUS) : principal;
    } catch {
      return ANONYMOUS;
    }
  }
}

/**
 * The principal of the request's key, given as `Authorization: Bearer <key>` or, without that
 * header, through a session cookie that stands for it (see session-auth.ts); anonymous with
 * neither. A promise only while the keys read model is incomplete (catching up with the log), when
 * a key found unrevoked is checked against the log for a revocation not read yet.
 */
export function authenticate(keys: KeyLookup, request: FastifyRequest): Principal | Promise<Principal> {
  const header = request.headers.authorization;
  if (header === undefined) {
    const token = sessionTokenOf(request.headers.cookie);
    return token === null ? ANONYMOUS : authenticateSession(keys, request, token);
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw unauthorized('the Authorization header must be "Bearer <key>"');
  const found = keys.find(m[1]!);
  if (!found) throw keys.incomplete() ?? unauthorized('unknown API key');
  const revoked = () => unauthorized(`API key ${found.keyId} was revoked`);
  if (found.revokedAt) throw revoked();
  const principal = principalOfKey(found.keyId, found.name, found.role);
  if (!keys.incomplete()) return principal;
  return keys.revokedOnLog(found.keyId).then((isRevoked) => {
    if (isRevoked) throw revoked();
    return principal;
  });
}

/**
 * Who a request counts against for rate limits: its key (`key:<id>`, whether presented or stood for
 * by a session cookie), its address when it has none (`ip:<address>`), or its address with `fail:`
 * when the key or session it presents is unknown, revoked, expired or malformed, so guessing keys
 * meets the strict limit.
 */
export function rateKeyOf(keys: KeyLookup): (request: FastifyRequest) => string {
  return (request) => {
    const header = request.headers.authorization;
    if (header === undefined) {
      const token = sessionTokenOf(request.headers.cookie);
      if (token === null) return `ip:${request.ip}`;
      const keyId = sessionKeyId(keys, token);
      if (keyId !== null) return `key:${keyId}`;
      return keys.incomplete() ? `ip:${request.ip}` : `fail:${request.ip}`;
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const found = m ? keys.find(m[1]!) : null;
    if (found && !found.revokedAt) return `key:${found.keyId}`;
    return found || !keys.incomplete() ? `fail:${request.ip}` : `ip:${request.ip}`;
  };
}

/**
 * Writes need a key that may write something (report or edit): checked before the body is parsed,
 * so that a request that cannot write is refused without reading or validating what it sends.
 * The exact permission (it depends on the event type) is the guard's, after parsing. A key that
 * cannot be checked yet (keys read model catching up) is left to the guard.
 */
export function assertMayWrite(keys: KeyLookup, request: FastifyRequest): void {
  const principal = authenticate(keys, request);
  if (principal instanceof Promise) return;
  if (principal === ANONYMOUS)
    throw new AppError(
      'unauthorized',
      'an API key is required: Authorization: Bearer <key>, or the session cookie POST /v1/session sets',
      {},
      { 'www-authenticate': 'Bearer' },
    );
  if (!principal.permissions.has('report') && !principal.permissions.has('edit'))
    throw new AppError('forbidden', `the ${principal.role} role may not write events`);
}

function unauthorized(message: string): AppError {
  return new AppError('unauthorized', message, {}, { 'www-authenticate': 'Bearer error="invalid_token"' });
}
