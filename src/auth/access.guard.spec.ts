import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deriveKey, type AppConfig } from '../config';
import { AppError } from '../shared/errors';
import { FixedClock } from '../shared/clock';
import { AccessGuard, type RouteAccess } from './access.guard';
import { ANONYMOUS } from './access.model';
import type { KeyLookup, KnownKey } from './key-lookup';
import { SESSION_KEY_PURPOSE, SessionTokens } from './session';
import { SessionController } from './session.controller';

const SECRET = Buffer.from('unit-test-server-secret-k3v9qm2plw8rzn4byc');
const KEY = 'cc_unit_test_key_0123456789';
const EDITOR: KnownKey = { keyId: 'a1b2c3d4e5', name: 'editor', role: 'editor', revokedAt: null };

/**
 * The keys read model as it is while catching up with the log (incomplete, every key checked
 * against the log by revokedOnLog), or caught up.
 */
function keysOf(options: { catchingUp: boolean; known?: boolean; revokedOnLog?: () => Promise<boolean> }) {
  const sessions = new SessionTokens(
    deriveKey(SECRET, SESSION_KEY_PURPOSE),
    3600,
    new FixedClock('2026-01-01T00:00:00Z'),
  );
  const known = options.known ?? true;
  const keys: KeyLookup = {
    find: (key) => (key === KEY && known ? EDITOR : null),
    byId: (keyId) => (keyId === EDITOR.keyId && known ? EDITOR : null),
    sessions,
    incomplete: () =>
      options.catchingUp ? new AppError('store_unavailable', 'the keys are still being read') : null,
    revokedOnLog: options.revokedOnLog ?? (() => Promise.resolve(false)),
  };
  return keys;
}

function requestWith(headers: Record<string, string>): FastifyRequest {
  return { headers, method: 'GET', protocol: 'http', host: 'localhost:3000' } as unknown as FastifyRequest;
}

function replyStub() {
  const headers: Record<string, string> = {};
  const reply = {
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, headers };
}

/** The guard's answer for a route needing `access`, and what it left on the request and reply. */
async function guard(
  keys: KeyLookup,
  access: RouteAccess,
  request: FastifyRequest,
  publicReads = false,
): Promise<{ allowed: boolean; headers: Record<string, string> }> {
  const reflector = { getAllAndOverride: () => access } as unknown as Reflector;
  const config = { publicReads } as unknown as AppConfig;
  const { reply, headers } = replyStub();
  const context = {
    getHandler: () => guard,
    getClass: () => AccessGuard,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  const allowed = await new AccessGuard(reflector, keys, config).canActivate(context);
  return { allowed, headers };
}

describe('AccessGuard on a public route while the keys read model catches up', () => {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', listener));
  afterAll(() => process.off('unhandledRejection', listener));
  beforeEach(() => (unhandled.length = 0));

  /** Lets a rejection nobody handles be reported (Node reports it once the microtasks ran). */
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it.each([
    ['a key revoked on the log', () => Promise.resolve(true)],
    ['the store away', () => Promise.reject(new Error('store unavailable'))],
  ])('answers anonymously, with no unhandled rejection, for a Bearer key and %s', async (_, revokedOnLog) => {
    const keys = keysOf({ catchingUp: true, revokedOnLog });
    const request = requestWith({ authorization: `Bearer ${KEY}` });
    expect((await guard(keys, 'public', request)).allowed).toBe(true);
    expect(request.principal).toBe(ANONYMOUS);
    await settled();
    expect(unhandled).toEqual([]);
  });

  it.each([
    ['a key revoked on the log', () => Promise.resolve(true), true],
    ['the store away', () => Promise.reject(new Error('store unavailable')), false],
  ])(
    'answers GET /v1/session as no session for a cookie and %s, clearing it only when revoked',
    async (_, revokedOnLog, cleared) => {
      const keys = keysOf({ catchingUp: true, revokedOnLog });
      const request = requestWith({ cookie: `cc_session=${keys.sessions.issue(EDITOR.keyId).token}` });
      expect((await guard(keys, 'public', request)).allowed).toBe(true);
      expect(request.principal).toBe(ANONYMOUS);
      const { reply, headers } = replyStub();
      expect(new SessionController(keys).status(request, reply)).toEqual({ active: false });
      expect(headers['set-cookie'] !== undefined).toBe(cleared);
      await settled();
      expect(unhandled).toEqual([]);
    },
  );

  it('keeps the cookie of a key not read yet (GET /v1/session clears no cookie it could not check)', async () => {
    const keys = keysOf({ catchingUp: true, known: false });
    const request = requestWith({ cookie: `cc_session=${keys.sessions.issue(EDITOR.keyId).token}` });
    expect((await guard(keys, 'public', request)).allowed).toBe(true);
    const { reply, headers } = replyStub();
    expect(new SessionController(keys).status(request, reply)).toEqual({ active: false });
    expect(headers['set-cookie']).toBeUndefined();
  });

  it('clears a cookie signed out, and answers its session once checked', async () => {
    const keys = keysOf({ catchingUp: true });
    const { token, claims } = keys.sessions.issue(EDITOR.keyId);
    const live = requestWith({ cookie: `cc_session=${token}` });
    await guard(keys, 'public', live);
    const { reply, headers } = replyStub();
    expect(new SessionController(keys).status(live, reply)).toMatchObject({ active: true, role: 'editor' });
    expect(headers['set-cookie']).toBeUndefined();
    keys.sessions.end(claims);
    const ended = requestWith({ cookie: `cc_session=${token}` });
    await guard(keys, 'public', ended);
    const after = replyStub();
    expect(new SessionController(keys).status(ended, after.reply)).toEqual({ active: false });
    expect(after.headers['set-cookie']).toMatch(/^cc_session=; .*Max-Age=0/);
  });
});

describe('AccessGuard on a read route with PUBLIC_READS', () => {
  it('reads anonymously with a cookie signed out, and clears it', async () => {
    const keys = keysOf({ catchingUp: false });
    const { token, claims } = keys.sessions.issue(EDITOR.keyId);
    keys.sessions.end(claims);
    const request = requestWith({ cookie: `cc_session=${token}` });
    const { allowed, headers } = await guard(keys, 'read', request, true);
    expect(allowed).toBe(true);
    expect(request.principal).toBe(ANONYMOUS);
    expect(headers['set-cookie']).toMatch(/^cc_session=; .*Max-Age=0/);
  });

  it('reads anonymously with a cookie whose key was revoked on the log not read yet, and clears it', async () => {
    const keys = keysOf({ catchingUp: true, revokedOnLog: () => Promise.resolve(true) });
    const request = requestWith({ cookie: `cc_session=${keys.sessions.issue(EDITOR.keyId).token}` });
    const { allowed, headers } = await guard(keys, 'read', request, true);
    expect(allowed).toBe(true);
    expect(request.principal).toBe(ANONYMOUS);
    expect(headers['set-cookie']).toMatch(/^cc_session=; .*Max-Age=0/);
  });

  it('still refuses such a cookie where a key is needed, and without PUBLIC_READS', async () => {
    const keys = keysOf({ catchingUp: false });
    const { token, claims } = keys.sessions.issue(EDITOR.keyId);
    keys.sessions.end(claims);
    const cookie = `cc_session=${token}`;
    await expect(guard(keys, 'authenticated', requestWith({ cookie }), true)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(guard(keys, 'read', requestWith({ cookie }), false)).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });
});
