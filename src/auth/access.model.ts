import { randomBytes } from 'node:crypto';

export const ROLES = ['reader', 'contributor', 'editor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['read', 'report', 'edit', 'audit', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** reader: reads; contributor: + reports; editor: + follow-ups, actors, sources; auditor: reads + audit; admin: all. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  reader: ['read'],
  contributor: ['read', 'report'],
  editor: ['read', 'report', 'edit'],
  auditor: ['read', 'audit'],
  admin: ['read', 'report', 'edit', 'audit', 'admin'],
};

export interface Principal {
  /** What appended events record as their principal: `key:<keyId>`, or `system:<what>` for the service itself. */
  readonly id: string;
  readonly name: string;
  readonly role: Role | null;
  readonly permissions: ReadonlySet<Permission>;
}

export const ANONYMOUS: Principal = {
  id: 'anonymous',
  name: 'anonymous',
  role: null,
  permissions: new Set(),
};

export function systemPrincipal(what: string): Principal {
  return { id: `system:${what}`, name: what, role: 'admin', permissions: new Set(PERMISSIONS) };
}

export function principalOfKey(keyId: string, name: string, role: Role): Principal {
  return { id: `key:${keyId}`, name, role, permissions: new Set(ROLE_PERMISSIONS[role]) };
}

export function newApiKey(): { keyId: string; key: string } {
  return { keyId: randomBytes(5).toString('hex'), key: `cc_${randomBytes(32).toString('base64url')}` };
}

/**
 * ApiKeyIssued at its current schema version (2): the key's HMAC under the deployment's secret
 * (see KeyDigest); or, for an event of version 1 read back (upcast), the plain SHA-256 it stored.
 */
export type ApiKeyIssuedData = {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
} & (
  | {
      readonly keyHmac: string;
      /** Which secret the HMAC is under (KeyDigest.secretId). */
      readonly secretId: string;
    }
  | { readonly legacySha256: string }
);

/** ApiKeyIssued, schema version 1 (still on older logs): the key's unsalted SHA-256. */
export interface ApiKeyIssuedDataV1 {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly keyHash: string;
}

export const API_KEY_ISSUED_VERSION = 2;

export interface ApiKeyRevokedData {
  readonly keyId: string;
  readonly reason: string;
}

export const ACCESS_EVENT_TYPES = ['ApiKeyIssued', 'ApiKeyRevoked'] as const;

/** Key events: never on anonymous or reader feeds, and their data redacted from audit exports. */
export const isKeyEventType = (type: string): boolean =>
  (ACCESS_EVENT_TYPES as readonly string[]).includes(type);
export const keyStream = (keyId: string): string => `apikey-${keyId}`;
