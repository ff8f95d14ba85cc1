import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditConfig } from '../config';
import {
  formatSigningKey,
  formatVerifierKey,
  generateSigningKey,
  parseSigningKey,
  type SigningKey,
} from './checkpoint';

/**
 * The checkpoint signing key: from AUDIT_SIGNING_KEY, else from the key file, else generated on the
 * first start (embedded default) and written to the key file, readable by the owner only.
 */
export function loadSigningKey(config: AuditConfig, logger = new Logger('Audit')): SigningKey {
  if (config.signingKey) return parsed(config.signingKey, 'AUDIT_SIGNING_KEY');
  if (existsSync(config.keyFile)) return parsed(readFileSync(config.keyFile, 'utf8').trim(), config.keyFile);
  const key = generateSigningKey(config.origin);
  mkdirSync(dirname(config.keyFile), { recursive: true });
  writeFileSync(config.keyFile, `${formatSigningKey(key)}\n`, { mode: 0o600, flag: 'wx' });
  logger.log(
    `generated a checkpoint signing key in ${config.keyFile}; public key: ${formatVerifierKey(key)}`,
  );
  return key;
}

/** A key that does not parse stops the start with a message naming where it came from. */
function parsed(text: string, from: string): SigningKey {
  try {
    return parseSigningKey(text);
  } catch (e) {
    throw new Error(`${from} is not a checkpoint signing key: ${(e as Error).message}`, { cause: e });
  }
}
