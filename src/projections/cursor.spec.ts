import { createHmac } from 'node:crypto';
import { deriveKey } from '../config';
import { AppError } from '../shared/errors';
import { CURSOR_KEY_PURPOSE, cursorKey, decodeCursor, encodeCursor, setCursorKey } from './cursor';

const SECRET = Buffer.from('a-server-secret-of-the-test-deployment-0123456789', 'utf8');

/** The error decodeCursor throws, or null when it accepts the cursor. */
function refusal(decode: () => unknown): AppError | null {
  try {
    decode();
    return null;
  } catch (e) {
    return e as AppError;
  }
}

function expectRefused(decode: () => unknown): void {
  const e = refusal(decode);
  expect(e).toBeInstanceOf(AppError);
  expect(e!.code).toBe('validation_failed');
  expect(e!.extensions).toEqual({
    errors: [{ path: 'cursor', message: 'cursor is not one this API returned' }],
  });
}

/** `text` with the character at `i` replaced by another of the base64url alphabet. */
function flipped(text: string, i: number): string {
  const c = text[i]!;
  return `${text.slice(0, i)}${c === 'A' ? 'B' : 'A'}${text.slice(i + 1)}`;
}

describe('keyset cursors', () => {
  beforeEach(() => setCursorKey(deriveKey(SECRET, CURSOR_KEY_PURPOSE)));

  it('round-trips a sort key of numbers or strings, in the list it was made for', () => {
    const timeline = encodeCursor('timeline', [1_700_000_000_000, 42]);
    expect(decodeCursor('timeline', timeline, 2)).toEqual([1_700_000_000_000, 42]);
    const actors = encodeCursor('actors', ['Ministry of Défense', 'mod-ua']);
    expect(decodeCursor('actors', actors, 2)).toEqual(['Ministry of Défense', 'mod-ua']);
    // Opaque, and safe in a query string as it is.
    expect(timeline).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
  });

  it('is the same under the same secret (restarts, instances) and refused under another', () => {
    const cursor = encodeCursor('timeline', [5, 6]);
    setCursorKey(deriveKey(Buffer.from(SECRET), CURSOR_KEY_PURPOSE));
    expect(decodeCursor('timeline', cursor, 2)).toEqual([5, 6]);
    setCursorKey(deriveKey(Buffer.from('another-deployment-secret-0123456789abcdef'), CURSOR_KEY_PURPOSE));
    expectRefused(() => decodeCursor('timeline', cursor, 2));
  });

  it('uses a key derived for cursors, never the secret itself', () => {
    const key = deriveKey(SECRET, CURSOR_KEY_PURPOSE);
    expect(cursorKey().equals(key)).toBe(true);
    expect(key.equals(SECRET)).toBe(false);
    expect(key.equals(deriveKey(SECRET, 'another-purpose'))).toBe(false);
    expect(key).toHaveLength(32);
  });

  it('refuses a cursor with any byte changed, in the key or in the MAC', () => {
    const cursor = encodeCursor('timeline', [1_700_000_000_000, 42]);
    for (let i = 0; i < cursor.length; i++) {
      if (cursor[i] === '.') continue;
      expectRefused(() => decodeCursor('timeline', flipped(cursor, i), 2));
    }
  });

  it('refuses a cursor of another list', () => {
    const timeline = encodeCursor('timeline', ['a', 'b']);
    expectRefused(() => decodeCursor('actors', timeline, 2));
    const actors = encodeCursor('actors', [1, 2]);
    expectRefused(() => decodeCursor('timeline', actors, 2));
  });

  it('refuses a truncated or missing MAC', () => {
    const cursor = encodeCursor('timeline', [1, 2]);
    expectRefused(() => decodeCursor('timeline', cursor.slice(0, -1), 2));
    expectRefused(() => decodeCursor('timeline', cursor.slice(0, -6), 2));
    expectRefused(() => decodeCursor('timeline', cursor.slice(0, cursor.indexOf('.') + 1), 2));
    expectRefused(() => decodeCursor('timeline', cursor.slice(0, cursor.indexOf('.')), 2));
    expectRefused(() => decodeCursor('timeline', `${cursor}A`, 2));
  });

  it('refuses the old unsigned format, however plausible its key', () => {
    const unsigned = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
    expectRefused(() => decodeCursor('timeline', unsigned([1_700_000_000_000, 42]), 2));
    expectRefused(() => decodeCursor('timeline', unsigned([9e15, 'zzz']), 2));
    expectRefused(() => decodeCursor('actors', unsigned(['zzz', 'zzz']), 2));
  });

  it('refuses a forged MAC of the right length, and one computed with the secret itself', () => {
    const payload = Buffer.from(JSON.stringify([9e15, 1]), 'utf8').toString('base64url');
    expectRefused(() => decodeCursor('timeline', `${payload}.${'A'.repeat(22)}`, 2));
    const underSecret = createHmac('sha256', SECRET)
      .update(`timeline\0${payload}`, 'utf8')
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    expectRefused(() => decodeCursor('timeline', `${payload}.${underSecret}`, 2));
  });

  it('refuses a signed key of the wrong shape', () => {
    expectRefused(() => decodeCursor('timeline', encodeCursor('timeline', [1, 2, 3]), 2));
    expectRefused(() => decodeCursor('timeline', encodeCursor('timeline', [1]), 2));
  });

  it('refuses what is not a cursor at all', () => {
    for (const junk of ['', '.', 'not-a-cursor', '....', `.${'A'.repeat(22)}`, '%FF.%FF'])
      expectRefused(() => decodeCursor('timeline', junk, 2));
  });

  it('will not take a short key', () => {
    expect(() => setCursorKey(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
