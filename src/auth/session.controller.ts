import { Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bool, instant, obj, str } from '../http/openapi-schema';
import { AppError } from '../shared/errors';
import { Access } from './access.guard';
import { ANONYMOUS, type Principal } from './access.model';
import { KEY_LOOKUP, type KeyLookup } from './key-lookup';
import { sessionCookie, sessionTokenOf, type SessionClaims } from './session';
import { assertSameOrigin, cameOverTls, clearedSessionCookie } from './session-auth';

const SESSION = obj(
  { active: bool({ description: 'Whether this browser has a session.' }) },
  {
    keyId: str({ description: 'The key the session stands for.' }),
    name: str({ description: "The key's name." }),
    role: str({ description: "The key's role: what the session may do." }),
    expiresAt: instant('When the session ends unless signed out or its key is revoked first.'),
  },
);

/** What the page is told of a session: never the cookie, which no script can read. */
function describe(claims: SessionClaims | undefined, principal: Principal) {
  if (!claims) return { active: false };
  return {
    active: true,
    keyId: claims.keyId,
    name: principal.name,
    role: principal.role,
    expiresAt: new Date(claims.expiresAt * 1000).toISOString(),
  };
}

/**
 * The browser session: the page exchanges a key for a cookie once (POST), asks whether it has one
 * (GET, never a 401, so a page without one logs no error) and signs out (DELETE). Every other route
 * takes the cookie as the key it stands for (see AccessGuard). No answer here may be cached.
 */
@ApiTags('access')
@Controller('v1/session')
export class SessionController {
  constructor(@Inject(KEY_LOOKUP) private readonly keys: KeyLookup) {}

  @Post()
  @Access('authenticated')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Open a session for the key in the Authorization header: an HttpOnly, SameSite=Strict cookie (Set-Cookie) that stands for the key.',
  })
  @ApiOkResponse({ description: 'The session opened; its cookie is set.', schema: SESSION })
  open(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const principal = request.principal ?? ANONYMOUS;
    if (request.sessionClaims || !principal.id.startsWith('key:')) {
      throw new AppError(
        'bad_request',
        'a session is opened with the key itself: Authorization: Bearer <key> (not with another session)',
      );
    }
    // A page of another site may not sign this browser in (login CSRF).
    assertSameOrigin(request, { originRequired: false });
    const { token, claims } = this.keys.sessions.issue(principal.id.slice('key:'.length));
    void reply
      .header('set-cookie', sessionCookie(token, this.keys.sessions.lifetimeSeconds, cameOverTls(request)))
      .header('cache-control', 'no-store');
    return describe(claims, principal);
  }

  @Get()
  @Access('public')
  @ApiOperation({ summary: 'Whether this browser has a session, for which key and until when.' })
  @ApiOkResponse({
    description: 'The session, or `active: false`; a cookie that is no longer a session is cleared.',
    schema: SESSION,
  })
  status(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    // Only a cookie judged faulty is cleared: one whose key cannot be checked yet (the keys read
    // model catching up, the store away) is kept, and reads as no session until it can be.
    if (request.sessionRefused) void reply.header('set-cookie', clearedSessionCookie(request));
    return describe(request.sessionClaims, request.principal ?? ANONYMOUS);
  }

  @Delete()
  @Access('public')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out: the session ends and its cookie is cleared.' })
  @ApiOkResponse({ description: 'Signed out (also when there was no session).', schema: SESSION })
  close(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const token = sessionTokenOf(request.headers.cookie);
    if (token !== null) {
      // Another site may not sign this browser out either.
      assertSameOrigin(request, { originRequired: true });
      const claims = this.keys.sessions.verify(token);
      if (typeof claims !== 'string') this.keys.sessions.end(claims);
    }
    void reply.header('set-cookie', clearedSessionCookie(request)).header('cache-control', 'no-store');
    return { active: false };
  }
}
