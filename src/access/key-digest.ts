import { Logger } from '@nestjs/common';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppConfig } from '../config';

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

/** Shortest secret accepted from the secret file (a generated one has 43 characters). */
const MIN_FILE_SECRET = 32;

/**
 * The secret: API_KEY_SECRET, else the secret file, else (the embedded default only; config
 * requires API_KEY_SECRET on the EventStoreDB path) generated at first start into the secret file,
 * readable by the owner only and synced before use. Changing or losing it makes every key issued
 * under it unknown; the access service names such keys at start (by their secretId).
 */
export function loadKeyDigest(config: AppConfig, logger = new Logger('Access')): KeyDigest {
  if (config.apiKeySecret) return new KeyDigest(Buffer.from(config.apiKeySecret, 'utf8'));
  const file = config.apiKeySecretFile;
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < MIN_FILE_SECRET) {
      throw new Error(
        `${file} holds no usable secret (${secret.length} characters, at least ${MIN_FILE_SECRET} needed): ` +
          'restore it from the backup of this data dir, or set API_KEY_SECRET',
      );
    }
    return new KeyDigest(Buffer.from(secret, 'utf8'));
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeSynced(file, `${secret}\n`);
  logger.log(`generated the API key secret in ${file} (keep it with the data; keys depend on it)`);
  return new KeyDigest(Buffer.from(secret, 'utf8'));
}

/** Creates `file` (never overwrites one) with `text`, synced with its directory entry. */
function writeSynced(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
