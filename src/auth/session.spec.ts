import { deriveKey } from '../config';
import { FixedClock } from '../shared/clock';
import { SESSION_KEY_PURPOSE, SessionTokens, sessionCookie, sessionTokenOf } from './session';

const SECRET = Buffer.from('unit-test-server-secret-k3v9qm2plw8rzn4byc');

describe('SessionTokens', () => {
  const clock = new FixedClock('2026-01-01T00:00:00Z');
  const tokens = () => new SessionTokens(deriveKey(SECRET, SESSION_KEY_PURPOSE), 3600, clock);

  it('verifies what it issued, with the key id and an expiry one lifetime away', () => {
    const { token, claims } = tokens().issue('a1b2c3d4e5');
    expect(claims.keyId).toBe('a1b2c3d4e5');
    expect(claims.expiresAt).toBe(Date.parse('2026-01-01T01:00:00Z') / 1000);
    // Another instance with the same secret accepts it.
    expect(tokens().verify(token)).toEqual(claims);
  });

  it('refuses a token moved to another key, one of another secret and a malformed one', () => {
    const own = tokens();
    const { token } = own.issue('a1b2c3d4e5');
    const [version, body, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    const moved = Buffer.from(JSON.stringify({ ...claims, k: 'ffffffffff' })).toString('base64url');
    expect(own.verify(`${version}.${moved}.${mac}`)).toBe('forged');
    const other = new SessionTokens(
      deriveKey(Buffer.from('another-secret-of-another-deployment-x9'), SESSION_KEY_PURPOSE),
      3600,
      clock,
    );
    expect(own.verify(other.issue('a1b2c3d4e5').token)).toBe('forged');
    for (const bad of ['', 'v1', 'v2.a.b', 'v1.a.b.c', 'not a token'])
      expect(own.verify(bad)).toBe('malformed');
  });

  it('refuses a token past its expiry, and one signed out', () => {
    const own = tokens();
    const { token, claims } = own.issue('a1b2c3d4e5');
    own.end(claims);
    expect(own.verify(token)).toBe('ended');
    const later = own.issue('a1b2c3d4e5');
    clock.advance(3600 * 1000);
    expect(own.verify(later.token)).toBe('expired');
  });
});

describe('the session cookie', () => {
  it('is found among other cookies', () => {
    expect(sessionTokenOf('a=1; cc_session=v1.x.y; b=2')).toBe('v1.x.y');
    expect(sessionTokenOf('xcc_session=v1.x.y')).toBeNull();
    expect(sessionTokenOf(undefined)).toBeNull();
    expect(sessionTokenOf('cc_session=')).toBeNull();
  });

  it('is HttpOnly, SameSite=Strict, on /v1, Secure over TLS only, and cleared with Max-Age=0', () => {
    expect(sessionCookie('v1.x.y', 60, false)).toBe(
      'cc_session=v1.x.y; Path=/v1; Max-Age=60; HttpOnly; SameSite=Strict',
    );
    expect(sessionCookie('v1.x.y', 60, true)).toMatch(/; Secure$/);
    expect(sessionCookie(null, 60, false)).toBe(
      'cc_session=; Path=/v1; Max-Age=0; HttpOnly; SameSite=Strict',
    );
  });
});
