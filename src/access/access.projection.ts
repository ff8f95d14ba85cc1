import type { LogEvent } from '../chronology/events';
import { tablesOf, type Projection, type ReadDb } from '../projections/projection';
import { ACCESS_EVENT_TYPES, type Role } from '../auth/access.model';

/**
 * API keys as the guard reads them, with role and revocation. A key is found by its HMAC
 * (`key_hmac`) or, for a key issued before keys were stored that way, by its plain SHA-256
 * (`legacy_sha256`, from schema version 1 of ApiKeyIssued).
 */
export const accessProjection: Projection = {
  name: 'access',
  version: 2,
  handles: new Set(ACCESS_EVENT_TYPES),
  tables: ['keys'],
  schema: (t) => `
    CREATE TABLE IF NOT EXISTS ${t('keys')} (
      key_id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,
      key_hmac TEXT UNIQUE, secret_id TEXT, legacy_sha256 TEXT UNIQUE,
      issued_at TEXT NOT NULL, issued_by TEXT NOT NULL, revoked_at TEXT, revoked_reason TEXT)`,
  bind(db, t) {
    const issue = db.prepare(
      `INSERT OR IGNORE INTO ${t('keys')} (key_id, name, role, key_hmac, secret_id, legacy_sha256, issued_at, issued_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const revoke = db.prepare(`UPDATE ${t('keys')} SET revoked_at = ?, revoked_reason = ? WHERE key_id = ?`);
    return (event: LogEvent) => {
      const { recordedAt, principal } = event.metadata;
      if (event.type === 'ApiKeyIssued') {
        const d = event.data;
        const [hmac, secretId, legacy] =
          'keyHmac' in d ? [d.keyHmac, d.secretId, null] : [null, null, d.legacySha256];
        issue.run(d.keyId, d.name, d.role, hmac, secretId, legacy, recordedAt, principal);
      } else if (event.type === 'ApiKeyRevoked') {
        revoke.run(recordedAt, event.data.reason, event.data.keyId);
      }
    };
  },
};

export interface KeyRecord {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly revokedAt: string | null;
  /** Issued by a version that wrote the key's plain SHA-256 to the log: rotate it. */
  readonly legacyDigest: boolean;
}

interface KeyRow {
  key_id: string;
  name: string;
  role: Role;
  issued_at: string;
  issued_by: string;
  revoked_at: string | null;
  legacy: 0 | 1;
}

const toRecord = (r: KeyRow): KeyRecord => ({
  keyId: r.key_id,
  name: r.name,
  role: r.role,
  issuedAt: r.issued_at,
  issuedBy: r.issued_by,
  revokedAt: r.revoked_at,
  legacyDigest: r.legacy === 1,
});

/**
 * The access projection's reader. Synchronous by contract: the guard checks a key on every request
 * before the handler runs, from a small table held in the page cache.
 */
export class AccessReader {
  private readonly t = tablesOf(accessProjection.name);
  private readonly columns =
    'key_id, name, role, issued_at, issued_by, revoked_at, legacy_sha256 IS NOT NULL AS legacy';

  constructor(private readonly db: ReadDb) {}

  /** The key with this HMAC, else (issued by an older version) with this plain SHA-256. */
  /**
   * The key with this HMAC or (issued by an older version) this plain SHA-256. One key can have a
   * row of each kind (an ADMIN_API_KEY kept across the upgrade); revoking either revokes the key,
   * so the revoked row is returned when there is one. Statements are prepared once (shared/sqlite
   * caches them by their text).
   */
  find(hmac: string, legacySha256: string): KeyRecord | null {
    const rows = this.db
      .prepare<[string, string], KeyRow>(
        `SELECT ${this.columns} FROM ${this.t('keys')} WHERE key_hmac = ? OR legacy_sha256 = ?
         ORDER BY revoked_at IS NULL, legacy_sha256 IS NOT NULL`,
      )
      .all(hmac, legacySha256);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Usable keys stored as an HMAC under a secret other than `secretId`. */
  underOtherSecrets(secretId: string): KeyRecord[] {
    return this.db
      .prepare<[string], KeyRow>(
        `SELECT ${this.columns} FROM ${this.t('keys')}
         WHERE key_hmac IS NOT NULL AND secret_id IS NOT ? AND revoked_at IS NULL ORDER BY issued_at, key_id`,
      )
      .all(secretId)
      .map(toRecord);
  }

  /** The row an older version wrote for the key with this plain SHA-256, if any. */
  byLegacyDigest(legacySha256: string): KeyRecord | null {
    const row = this.db
      .prepare<[string], KeyRow>(`SELECT ${this.columns} FROM ${this.t('keys')} WHERE legacy_sha256 = ?`)
      .get(legacySha256);
    return row ? toRecord(row) : null;
  }

  byId(keyId: string): KeyRecord | null {
    const row = this.db
      .prepare<[string], KeyRow>(`SELECT ${this.columns} FROM ${this.t('keys')} WHERE key_id = ?`)
      .get(keyId);
    return row ? toRecord(row) : null;
  }

  list(): KeyRecord[] {
    return this.db
      .prepare<[], KeyRow>(`SELECT ${this.columns} FROM ${this.t('keys')} ORDER BY issued_at, key_id`)
      .all()
      .map(toRecord);
  }
}
