import { Logger } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { loadServerSecret, type AppConfig } from '../config';

/**
 * How API keys are stored: HMAC-SHA-256 under a deployment-wide secret, so what the log holds
 * cannot be checked against guesses without that secret. Everything derived from a key (its stored
 * digest, the id of the key given by ADMIN_API_KEY) goes through here.
 */
export class KeyDigest {
  constructor(private readonly secret: Buffer) {}

  /** What ApiKeyIssued (schema version 2) stores for a key. */
  of(key: string): string {
    return createHmac('sha256', this.secret).update(key, 'utf8').digest('hex');
  }

  /**
   * Names the secret without revealing it: stored with each key, so that keys issued under
   * another secret (a lost or changed one) can be named instead of silently failing.
   */
  get secretId(): string {
    return createHmac('sha256', this.secret).update('secret-id', 'utf8').digest('hex').slice(0, 16);
  }

  /** The id of the key set by ADMIN_API_KEY: stable across restarts, revealing nothing of the key. */
  envKeyId(key: string): string {
    return `env-${createHmac('sha256', this.secret).update(`key-id\0${key}`, 'utf8').digest('hex').slice(0, 12)}`;
  }

  /**
   * The unsalted SHA-256 that schema version 1 of ApiKeyIssued stored, for keys issued before
   * keys were stored as an HMAC; such keys keep working until they are revoked.
   */
  static legacy(key: string): string {
    return createHash('sha256').update(key, 'utf8').digest('hex');
  }
}

/**
 * The KeyDigest under the server secret (see loadServerSecret: API_KEY_SECRET, else the data dir's
 * secret file, generated at first start). Changing or losing it makes every key issued under it
 * unknown; the access service names such keys at start (by their secretId).
 */
export function loadKeyDigest(config: AppConfig, logger = new Logger('Access')): KeyDigest {
  return new KeyDigest(loadServerSecret(config, logger));
}
