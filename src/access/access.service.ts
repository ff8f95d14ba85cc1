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
   * Once the read models hold every key event on the log: a warning for each usable key that an
   * older version issued with its unsalted SHA-256 on the log, where anyone who can read the log
   * can test guesses against it (a person-chosen ADMIN_API_KEY above all).
   */
  private async warnAboutLegacyKeys(): Promise<void> {
    const head = await this.store.headPosition().catch(() => null);
    if (head === null || !(await this.applied.waitFor(head, 24 * 3600_000))) return;
    for (const key of this.list()) {
      if (!key.legacyDigest || key.revokedAt) continue;
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
        { keyId: 'root', name: 'first admin', role: 'admin', keyHmac: this.digest.of(key) },
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
      { keyId, name, role, keyHmac: this.digest.of(key) },
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
