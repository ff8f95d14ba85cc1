import type { RecordedEvent } from '../event-store';
import type { Projection } from '../projections/projection';
import { ACCESS_EVENT_TYPES, type ApiKeyIssuedData, type ApiKeyRevokedData } from './access.model';

/** API keys as the guard reads them: hashed, with role and revocation. */
export const accessProjection: Projection = {
  name: 'access',
  version: 1,
  handles: new Set(ACCESS_EVENT_TYPES),
  tables: ['keys'],
  schema: (t) => `
    CREATE TABLE IF NOT EXISTS ${t('keys')} (
      key_id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
      issued_at TEXT NOT NULL, issued_by TEXT NOT NULL, revoked_at TEXT, revoked_reason TEXT)`,
  bind(db, t) {
    const issue = db.prepare(
      `INSERT OR IGNORE INTO ${t('keys')} (key_id, name, role, key_hash, issued_at, issued_by) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const revoke = db.prepare(`UPDATE ${t('keys')} SET revoked_at = ?, revoked_reason = ? WHERE key_id = ?`);
    return (event: RecordedEvent) => {
      if (event.type === 'ApiKeyIssued') {
        const d = event.data as unknown as ApiKeyIssuedData;
        issue.run(d.keyId, d.name, d.role, d.keyHash, event.metadata.recordedAt, event.metadata.principal);
      } else {
        const d = event.data as unknown as ApiKeyRevokedData;
        revoke.run(event.metadata.recordedAt, d.reason, d.keyId);
      }
    };
  },
};
