import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../shared/errors';

/**
 * Opaque keyset cursors, signed: `<key>.<mac>`, where `key` is the base64url JSON of the sort key
 * of the last item served and `mac` the base64url of the first 16 bytes of an HMAC-SHA-256, under
 * the deployment's cursor key, of the list the cursor pages and `key`. So a cursor is accepted only
 * if this deployment issued it, for the same list: a forged or edited one, one of another list or
 * of an older (unsigned) format is a 400, as a malformed one is. Cursors are not secret (the sort
 * key is readable), only tamper-evident; they stay valid across restarts and instances as long as
 * the server secret does.
 */

/** The lists that hand out cursors; a cursor of one is refused by the others. */
export type CursorList = 'timeline' | 'actors';

/** What the cursor key is derived for from the server secret (deriveKey's purpose). */
export const CURSOR_KEY_PURPOSE = 'keyset-cursor/v1';

const MAC_BYTES = 16;
const MAC_CHARS = Math.ceil((MAC_BYTES * 4) / 3);

let key: Buffer | null = null;

/**
 * Sets this process's (or read worker's) cursor key: at start, from the server secret (see
 * CURSOR_KEY_PURPOSE), and in every read worker the same key, so that all of a deployment's
 * instances, threads and restarts accept one another's cursors.
 */
export function setCursorKey(cursorKey: Uint8Array): void {
  if (cursorKey.length < 32) throw new Error('a cursor key needs at least 32 bytes');
  key = Buffer.from(cursorKey);
}

/**
 * The cursor key in use, to hand to read workers. A process that was given none (a test building
 * readers itself) gets a random one: its cursors are good for as long as it runs.
 */
export function cursorKey(): Buffer {
  key ??= randomBytes(32);
  return key;
}

function mac(list: CursorList, payload: string): string {
  return createHmac('sha256', cursorKey())
    .update(`${list}\0${payload}`, 'utf8')
    .digest()
    .subarray(0, MAC_BYTES)
    .toString('base64url');
}

/** The cursor after the item whose sort key is `sortKey`, in `list`. */
export function encodeCursor(list: CursorList, sortKey: readonly (string | number)[]): string {
  const payload = Buffer.from(JSON.stringify(sortKey), 'utf8').toString('base64url');
  return `${payload}.${mac(list, payload)}`;
}

/**
 * The sort key (of `arity` strings or numbers) a cursor of `list` was made from; anything else,
 * including a cursor this deployment did not issue for `list`, is a validation error on `cursor`.
 */
export function decodeCursor(list: CursorList, cursor: string, arity: number): (string | number)[] {
  const dot = cursor.lastIndexOf('.');
  if (dot > 0 && cursor.length - dot - 1 === MAC_CHARS) {
    const payload = cursor.slice(0, dot);
    const given = Buffer.from(cursor.slice(dot + 1), 'utf8');
    const expected = Buffer.from(mac(list, payload), 'utf8');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      try {
        const sortKey = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
        if (
          Array.isArray(sortKey) &&
          sortKey.length === arity &&
          sortKey.every((k) => typeof k === 'number' || typeof k === 'string')
        ) {
          return sortKey;
        }
      } catch {
        // fall through
      }
    }
  }
  throw AppError.validation([{ path: 'cursor', message: 'cursor is not one this API returned' }]);
}
