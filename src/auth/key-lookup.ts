import type { Role } from './access.model';
import type { SessionTokens } from './session';

/** A key as the guard needs it. */
export interface KnownKey {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly revokedAt: string | null;
}

/**
 * Finds the key presented with a request: implemented by the access module over its keys
 * projection. Synchronous by contract: the guard checks it on every request before the handler.
 */
export interface KeyLookup {
  find(key: string): KnownKey | null;
  /** The key a session stands for, by its id: checked on each request, as a key is. */
  byId(keyId: string): KnownKey | null;
  /** Issues and checks the session cookies that stand for keys (POST /v1/session). */
  readonly sessions: SessionTokens;
  /**
   * Null when every key on the log (as it was at start) is known; else the error to answer for a
   * key not found, since it may be one not read yet (a 503 to retry, not a 401).
   */
  incomplete(): Error | null;
  /**
   * Whether the log holds a revocation of this key: asked, while incomplete(), of a key found
   * unrevoked, since its revocation may not have been read yet.
   */
  revokedOnLog(keyId: string): Promise<boolean>;
}

/** Injection token of the KeyLookup. */
export const KEY_LOOKUP = Symbol('KEY_LOOKUP');
