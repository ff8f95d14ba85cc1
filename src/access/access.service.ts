import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config';
import {
  EVENT_STORE,
  EventStoreUnavailable,
  formatPosition,
  isWrongExpectedRevision,
  type EventStore,
  type JsonObject,
} from '../event-store';
import { AppliedStream } from '../projections/applied-stream';
import { AppError } from '../shared/errors';
import { deriveId } from '../shared/ids';
import {
  API_KEY_ISSUED_VERSION,
  keyStream,
  newApiKey,
  systemPrincipal,
  type ApiKeyIssuedData,
  type ApiKeyRevokedData,
  type Principal,
  type Role,
} from '../auth/access.model';
import { AccessReader, type KeyRecord } from './access.projection';
import { KeyDigest } from './key-digest';

/** Issues and revokes API keys as events; the access projection is what the guard reads. */
@Injectable()
export class AccessService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Access');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly applied: AppliedStream,
    private readonly keys: AccessReader,
    private readonly digest: KeyDigest,
  ) {}

  private retry: NodeJS.Timeout | null = null;

  /**
   * First start: an admin key from ADMIN_API_KEY, or a new one printed once. When the store is
   * unreachable the service starts anyway (not ready) and installs the key once the store is back.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.installAdminKey();
    } catch (e) {
      if (!(e instanceof EventStoreUnavailable)) throw e;
      this.logger.warn(
        `event store unreachable at start (${e.message}); the admin key will be installed when it is back`,
      );
      this.retryLater();
    }
    void this.warnAboutLegacyKeys();
  }

  /**
   * Once the read models hold every key event on the log: an error when ADMIN_API_KEY is a key an
   * older version wrote with its unsalted SHA-256 to the log (anyone who can read the log can test
   * guesses against it), and when usable keys were issued under another secret (lost or changed);
   * a warning for each other usable key of an older version.
   */
  private async warnAboutLegacyKeys(): Promise<void> {
    const head = await this.store.headPosition().catch(() => null);
    if (head === null || !(await this.applied.waitFor(head, 24 * 3600_000))) return;
    const admin = this.config.adminApiKey;
    const exposedAdmin = admin ? this.keys.byLegacyDigest(KeyDigest.legacy(admin)) : null;
    if (exposedAdmin) {
      // Revoking that row would not help while the same value stays configured: the key is exposed.
      this.logger.error(
        `ADMIN_API_KEY is the key ${exposedAdmin.keyId}, whose unsalted SHA-256 an earlier version wrote to the ` +
          `log: set ADMIN_API_KEY to a new random value (e.g. openssl rand -base64 32), restart, then revoke ` +
          `${exposedAdmin.keyId} (DELETE /v1/admin/keys/${exposedAdmin.keyId})`,
      );
    }
    const orphaned = this.keys.underOtherSecrets(this.digest.secretId);
    if (orphaned.length > 0) {
      this.logger.error(
        `${orphaned.length} API key(s) were issued under another API key secret and cannot be checked with ` +
          `this one: ${orphaned.map((k) => k.keyId).join(', ')}. Restore the earlier api-key.secret (or ` +
          'API_KEY_SECRET); or set ADMIN_API_KEY to regain admin access, issue new keys and revoke these',
      );
    }
    for (const key of this.list()) {
      if (!key.legacyDigest || key.revokedAt || key.keyId === exposedAdmin?.keyId) continue;
      this.logger.warn(
        `API key ${key.keyId} ("${key.name}") was issued by an earlier version, which wrote its unsalted ` +
          `SHA-256 to the log; rotate it: issue a new key (POST /v1/admin/keys, or a new ADMIN_API_KEY) ` +
          `and revoke this one (DELETE /v1/admin/keys/${key.keyId})`,
      );
    }
  }

  onApplicationShutdown(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  /** One attempt at a time: the next is scheduled only once the previous has failed. */
  private retryLater(): void {
    this.retry = setTimeout(() => {
      this.installAdminKey().then(
        () => {
          this.retry = null;
          this.logger.log('event store reachable: admin key installed');
        },
        (e: unknown) => {
          if (!(e instanceof EventStoreUnavailable)) {
            this.logger.error(`installing the admin key failed: ${(e as Error).message}`);
          }
          if (this.retry) this.retryLater(); // not after shutdown
        },
      );
    }, 2000);
    this.retry.unref();
  }

  private async installAdminKey(): Promise<void> {
    const by = systemPrincipal('bootstrap');
    if (this.config.adminApiKey) {
      const keyId = this.digest.envKeyId(this.config.adminApiKey);
      await this.append(
        keyId,
        'ApiKeyIssued',
        {
          keyId,
          name: 'admin (ADMIN_API_KEY)',
          role: 'admin',
          keyHmac: this.digest.of(this.config.adminApiKey),
          secretId: this.digest.secretId,
        },
        by,
        'any',
      );
      return;
    }
    if ((await this.store.streamRevision(keyStream('root'))) !== null) return;
    const { key } = newApiKey();
    try {
      await this.append(
        'root',
        'ApiKeyIssued',
        {
          keyId: 'root',
          name: 'first admin',
          role: 'admin',
          keyHmac: this.digest.of(key),
          secretId: this.digest.secretId,
        },
        by,
        'no_stream',
      );
    } catch (e) {
      if (isWrongExpectedRevision(e)) return; // another instance created it first
      throw e;
    }
    const line = '-'.repeat(72);
    console.log(
      `${line}\nFirst start: an admin API key was created. It is shown this once; keep it safe:\n\n  ${key}\n\nUse it as "Authorization: Bearer <key>"; create other keys with POST /v1/admin/keys.\n${line}`,
    );
  }

  async issue(
    name: string,
    role: Role,
    by: Principal,
  ): Promise<{ keyId: string; key: string; name: string; role: Role; position: string }> {
    const { keyId, key } = newApiKey();
    const position = await this.append(
      keyId,
      'ApiKeyIssued',
      { keyId, name, role, keyHmac: this.digest.of(key), secretId: this.digest.secretId },
      by,
      'no_stream',
    );
    await this.applied.waitFor(position, this.config.readWaitTimeoutMs);
    return { keyId, key, name, role, position: formatPosition(position) };
  }

  async revoke(
    keyId: string,
    reason: string,
    by: Principal,
  ): Promise<{ keyId: string; revoked: true; position: string }> {
    const key = this.keys.byId(keyId);
    if (!key) throw new AppError('not_found', `API key ${keyId} not found`);
    if (key.revokedAt) throw new AppError('conflict', `API key ${keyId} was already revoked`);
    const position = await this.append(keyId, 'ApiKeyRevoked', { keyId, reason }, by, 'stream_exists');
    await this.applied.waitFor(position, this.config.readWaitTimeoutMs);
    return { keyId, revoked: true, position: formatPosition(position) };
  }

  list(): KeyRecord[] {
    return this.keys.list();
  }

  private async append(
    keyId: string,
    type: 'ApiKeyIssued' | 'ApiKeyRevoked',
    data: ApiKeyIssuedData | ApiKeyRevokedData,
    by: Principal,
    expectedRevision: 'any' | 'no_stream' | 'stream_exists',
  ) {
    const id = type === 'ApiKeyIssued' ? deriveId('apikey', keyId) : randomUUID();
    const result = await this.store.append(
      keyStream(keyId),
      [
        {
          id,
          type,
          schemaVersion: type === 'ApiKeyIssued' ? API_KEY_ISSUED_VERSION : 1,
          data: data as unknown as JsonObject,
          metadata: { principal: by.id, correlationId: randomUUID(), causationId: null },
        },
      ],
      { expectedRevision },
    );
    return result.position;
  }
}
