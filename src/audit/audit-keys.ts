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
  if (config.signingKey) return parseSigningKey(config.signingKey);
  if (existsSync(config.keyFile)) return parseSigningKey(readFileSync(config.keyFile, 'utf8').trim());
  const key = generateSigningKey(config.origin);
  mkdirSync(dirname(config.keyFile), { recursive: true });
  writeFileSync(config.keyFile, `${formatSigningKey(key)}\n`, { mode: 0o600, flag: 'wx' });
  logger.log(
    `generated a checkpoint signing key in ${config.keyFile}; public key: ${formatVerifierKey(key)}`,
  );
  return key;
}
