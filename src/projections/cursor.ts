import { AppError } from '../shared/errors';

/** Opaque keyset cursors: base64url JSON of the sort key of the last item served. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === 'number' || typeof k === 'string')
    ) {
      return key;
    }
  } catch {
    // fall through
  }
  throw AppError.validation([{ path: 'cursor', message: 'cursor is not one this API returned' }]);
}
