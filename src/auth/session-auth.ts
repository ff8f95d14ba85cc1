import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors';
import { principalOfKey, type Principal } from './access.model';
import type { KeyLookup } from './key-lookup';
import { sessionCookie, type SessionClaims, type SessionFault } from './session';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request was authenticated by a session cookie rather than by a key. */
    sessionClaims?: SessionClaims;
    /**
     * Set when the request's session cookie was judged no longer a session (malformed, forged,
     * expired, signed out, its key unknown or revoked), not when its key could not be checked yet:
     * only then does an answer clear the cookie.
     */
    sessionRefused?: boolean;
  }
}

/** Methods that change state: with a session cookie, they must come from this site's own pages. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const FAULTS: Record<SessionFault, string> = {
  malformed: 'the session cookie is not one this service issues',
  forged: 'the session cookie was not signed by this deployment',
  expired: 'the session expired: sign in again with the key',
  ended: 'the session was signed out',
};

/**
 * The principal of the key a session cookie stands for, with the same checks as the key itself
 * (known, not revoked, and while the keys read model catches up, no revocation on the log). A
 * state-changing request must also pass the CSRF check (assertSameOrigin). A refused session is a
 * 401 whose answer clears the cookie, so the browser stops sending it.
 */
export function authenticateSession(
  keys: KeyLookup,
  request: FastifyRequest,
  token: string,
): Principal | Promise<Principal> {
  const claims = keys.sessions.verify(token);
  if (typeof claims === 'string') throw sessionRefused(request, FAULTS[claims]);
  if (UNSAFE_METHODS.has(request.method)) assertSameOrigin(request, { originRequired: true });
  const found = keys.byId(claims.keyId);
  if (!found)
    throw keys.incomplete() ?? sessionRefused(request, `the session's key ${claims.keyId} is unknown`);
  const revoked = () =>
    sessionRefused(request, `API key ${found.keyId} was revoked, and its sessions with it`);
  if (found.revokedAt) throw revoked();
  const principal = principalOfKey(found.keyId, found.name, found.role);
  if (!keys.incomplete()) {
    request.sessionClaims = claims;
    return principal;
  }
  return keys.revokedOnLog(found.keyId).then((isRevoked) => {
    if (isRevoked) throw revoked();
    request.sessionClaims = claims;
    return principal;
  });
}

/** The id of the usable key a session cookie stands for (for rate limits), or null. */
export function sessionKeyId(keys: KeyLookup, token: string): string | null {
  const claims = keys.sessions.verify(token);
  if (typeof claims === 'string') return null;
  const found = keys.byId(claims.keyId);
  return found && !found.revokedAt ? found.keyId : null;
}

/**
 * The CSRF check of a request that carries a session cookie: its Origin must be this service's own
 * (scheme and host as the request reached it, through a trusted proxy's X-Forwarded-Proto and
 * -Host when TRUST_PROXY names it), and Sec-Fetch-Site, when the browser sends it, `same-origin`.
 * Browsers send Origin on every POST, PUT, PATCH and DELETE, so `originRequired` refuses one
 * without it; when only a key is exchanged for a session, a client other than a browser (no
 * Origin) is let through.
 */
export function assertSameOrigin(request: FastifyRequest, options: { originRequired: boolean }): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw csrf(
      'cross_site',
      `the browser says this request came from another site (Sec-Fetch-Site: ${String(site)})`,
    );
  }
  const origin = request.headers.origin;
  if (origin === undefined) {
    if (!options.originRequired) return;
    throw csrf(
      'origin_missing',
      'a request that changes state with the session cookie must carry an Origin header',
    );
  }
  const own = ownOrigin(request);
  if (origin.toLowerCase() !== own) {
    throw csrf('origin_mismatch', `the request's Origin ${origin} is not this service's own (${own})`);
  }
}

/** Whether the request reached the service over TLS (directly, or as a trusted proxy says). */
export function cameOverTls(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** The Set-Cookie header that clears the session cookie, for answers that end or refuse one. */
export function clearedSessionCookie(request: FastifyRequest): string {
  return sessionCookie(null, 0, cameOverTls(request));
}

function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`.toLowerCase();
}

function csrf(reason: 'cross_site' | 'origin_missing' | 'origin_mismatch', message: string): AppError {
  return new AppError('forbidden', `cross-site request refused: ${message}`, { reason });
}

function sessionRefused(request: FastifyRequest, message: string): AppError {
  request.sessionRefused = true;
  return new AppError(
    'unauthorized',
    message,
    {},
    { 'www-authenticate': 'Bearer', 'set-cookie': clearedSessionCookie(request) },
  );
}
