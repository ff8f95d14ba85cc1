import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock';

/**
 * Browser sessions: a cookie that stands for one API key, so that the page sends no key after
 * exchanging it once (POST /v1/session). The cookie holds `v1.<claims>.<mac>`: `claims` is the
 * base64url JSON of the key id, a random session id and the expiry (seconds since the epoch), and
 * `mac` the base64url HMAC-SHA-256 of `v1.<claims>` under a key derived from the deployment's
 * server secret (SESSION_KEY_PURPOSE). So every instance of a deployment accepts every other's
 * sessions, and a session cannot be forged, moved to another key or extended. What the key may do
 * is looked up on each request by its id (a revoked key ends its sessions); signing out ends a
 * session on the instance that answered it (see SessionTokens.end).
 */

/** The cookie's name. */
export const SESSION_COOKIE = 'cc_session';
/** Where the browser sends it: the API only, not the page's files. */
export const SESSION_COOKIE_PATH = '/v1';
/** What the session key is derived for from the server secret (deriveKey's purpose). */
export const SESSION_KEY_PURPOSE = 'session-cookie/v1';

const VERSION = 'v1';
/** Ended sessions remembered at most (each until it would have expired anyway). */
const MAX_ENDED = 100_000;

export interface SessionClaims {
  readonly keyId: string;
  readonly sessionId: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

/** Why a cookie is not a session; said in the 401. */
export type SessionFault = 'malformed' | 'forged' | 'expired' | 'ended';

export class SessionTokens {
  /** Session id → its expiry, for sessions signed out before they expired. */
  private readonly ended = new Map<string, number>();

  constructor(
    private readonly macKey: Buffer,
    readonly lifetimeSeconds: number,
    private readonly clock: Clock,
  ) {
    if (macKey.length < 32) throw new Error('a session key needs at least 32 bytes');
  }

  /** A new session for the key `keyId`, valid for the configured lifetime from now. */
  issue(keyId: string): { token: string; claims: SessionClaims } {
    const claims: SessionClaims = {
      keyId,
      sessionId: randomBytes(16).toString('base64url'),
      expiresAt: this.nowSeconds() + this.lifetimeSeconds,
    };
    return { token: this.sign(claims), claims };
  }

  /** The cookie's value for `claims` (issue uses it; so may a test that needs an expired one). */
  sign(claims: SessionClaims): string {
    const body = `${VERSION}.${Buffer.from(
      JSON.stringify({ k: claims.keyId, s: claims.sessionId, e: claims.expiresAt }),
    ).toString('base64url')}`;
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The claims of a token this deployment signed, still unexpired and not signed out; else why not. */
  verify(token: string): SessionClaims | SessionFault {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) return 'malformed';
    const given = Buffer.from(parts[2]!, 'base64url');
    const expected = this.mac(`${parts[0]}.${parts[1]}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      return 'malformed';
    }
    const { k, s, e } = (raw ?? {}) as Record<string, unknown>;
    if (typeof k !== 'string' || typeof s !== 'string' || typeof e !== 'number') return 'malformed';
    if (e <= this.nowSeconds()) return 'expired';
    if (this.ended.has(s)) return 'ended';
    return { keyId: k, sessionId: s, expiresAt: e };
  }

  /**
   * Signs a session out: refused from now on by this instance. The browser drops the cookie too
   * (the answer clears it); another instance would still take a copy of it until it expires or its
   * key is revoked, since instances share no session state.
   */
  end(claims: SessionClaims): void {
    const now = this.nowSeconds();
    if (this.ended.size >= MAX_ENDED) {
      for (const [id, expiresAt] of this.ended) if (expiresAt <= now) this.ended.delete(id);
      // Still full of live ones: forget those closest to expiring (insertion order is close to it).
      for (const id of this.ended.keys()) {
        if (this.ended.size < MAX_ENDED) break;
        this.ended.delete(id);
      }
    }
    this.ended.set(claims.sessionId, claims.expiresAt);
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.macKey).update(body, 'utf8').digest();
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}

/** The session cookie's value in a Cookie header, or null when there is none. */
export function sessionTokenOf(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const pair of cookieHeader.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) return pair.slice(at + 1).trim() || null;
  }
  return null;
}

/**
 * The Set-Cookie header for a session (or, with a null token, one that clears it): readable by no
 * script (HttpOnly), sent on this site's own requests only (SameSite=Strict), and only over TLS when
 * the request came over TLS (Secure).
 */
export function sessionCookie(token: string | null, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token ?? ''}`,
    `Path=${SESSION_COOKIE_PATH}`,
    `Max-Age=${token === null ? 0 : maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
