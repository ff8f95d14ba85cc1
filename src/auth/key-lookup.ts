import type { Role } from './access.model';

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
}

/** Injection token of the KeyLookup. */
export const KEY_LOOKUP = Symbol('KEY_LOOKUP');
