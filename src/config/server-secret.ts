import { Logger } from '@nestjs/common';
import { hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppConfig } from './app-config';

/** Shortest secret accepted from the secret file (a generated one has 43 characters). */
const MIN_FILE_SECRET = 32;

/**
 * The deployment's server secret: API_KEY_SECRET, else the secret file, else (the embedded default
 * only; config requires API_KEY_SECRET on the EventStoreDB path) generated at first start into the
 * secret file, readable by the owner only and synced before use. So every instance of a deployment,
 * and every restart of one, holds the same secret. Changing or losing it makes every API key issued
 * under it unknown (the access service names such keys at start) and every cursor handed out
 * before refused.
 *
 * Used as it is only for API key digests (KeyDigest); anything else takes a key of its own from it
 * with deriveKey.
 */
export function loadServerSecret(config: AppConfig, logger = new Logger('Access')): Buffer {
  if (config.apiKeySecret) return Buffer.from(config.apiKeySecret, 'utf8');
  const file = config.apiKeySecretFile;
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < MIN_FILE_SECRET) {
      throw new Error(
        `${file} holds no usable secret (${secret.length} characters, at least ${MIN_FILE_SECRET} needed): ` +
          'restore it from the backup of this data dir, or set API_KEY_SECRET',
      );
    }
    return Buffer.from(secret, 'utf8');
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeSynced(file, `${secret}\n`);
  logger.log(`generated the API key secret in ${file} (keep it with the data; keys depend on it)`);
  return Buffer.from(secret, 'utf8');
}

/**
 * A 32-byte key for one purpose, derived from the server secret with HKDF-SHA-256 (`purpose` as
 * its info): keys of different purposes are independent, and none reveals the secret.
 */
export function deriveKey(secret: Uint8Array, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'crisis-chronology', purpose, 32));
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
