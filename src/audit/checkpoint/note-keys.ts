import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { NoteError } from './note-error';
import { decodeBase64Strict, isValidKeyName } from './text-rules';

/*
 * Ed25519 note keys in the text forms of C2SP signed-note and golang.org/x/mod/sumdb/note:
 *   verifier key  <name>+<hex key id>+<base64(0x01 || 32-byte public key)>
 *   signer key    PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte seed)>
 * key id = first 4 bytes (big-endian uint32) of SHA-256(name || 0x0A || 0x01 || public key).
 */

/** Signature type byte of Ed25519 in C2SP signed-note. */
export const ED25519_TYPE = 0x01;

/** A key that can sign notes. */
export interface SigningKey {
  readonly name: string;
  readonly keyId: number;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  readonly privateKey: KeyObject;
}

/** A key that verifies notes. */
export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  readonly keyObject: KeyObject;
}

// DER headers of an Ed25519 key (RFC 8410): PKCS#8 before the 32-byte seed, SPKI before the public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PRIVATE_PREFIX = 'PRIVATE+KEY+';

/** The key id of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || publicKey)[:4] as a uint32. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519_TYPE]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** A key id as 8 lowercase hex digits. */
export const formatKeyId = (keyId: number): string => keyId.toString(16).padStart(8, '0');

function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new NoteError(
      'malformed_key',
      `key name ${JSON.stringify(name)} must be non-empty, without spaces or "+"`,
    );
  }
}

/** Builds a signing key from a 32-byte Ed25519 seed (RFC 8032 private key). */
export function signingKeyFromSeed(name: string, seed: Uint8Array): SigningKey {
  assertKeyName(name);
  if (seed.length !== 32)
    throw new NoteError('malformed_key', `Ed25519 seed must be 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey)
    .export({ format: 'der', type: 'spki' })
    .subarray(SPKI_PREFIX.length);
  return { name, keyId: ed25519KeyId(name, publicKey), publicKey, privateKey };
}

/** Generates a fresh Ed25519 signing key named `name`. */
export function generateSigningKey(name: string): SigningKey {
  assertKeyName(name);
  const { privateKey } = generateKeyPairSync('ed25519');
  return signingKeyFromSeed(name, seedOf(privateKey));
}

function seedOf(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
}

/** Builds a verifier key from a raw 32-byte Ed25519 public key. */
export function verifierKeyFromPublicKey(name: string, publicKey: Uint8Array): VerifierKey {
  assertKeyName(name);
  if (publicKey.length !== 32) {
    throw new NoteError('malformed_key', `Ed25519 public key must be 32 bytes, got ${publicKey.length}`);
  }
  const raw = Buffer.from(publicKey);
  const keyObject = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return { name, keyId: ed25519KeyId(name, raw), publicKey: raw, keyObject };
}

/** The verifier key matching a signing key. */
export function verifierKeyOf(key: SigningKey): VerifierKey {
  return verifierKeyFromPublicKey(key.name, key.publicKey);
}

/** `<name>+<hex key id>+<base64(0x01 || public key)>`. */
export function formatVerifierKey(key: VerifierKey | SigningKey): string {
  const material = Buffer.concat([Buffer.from([ED25519_TYPE]), key.publicKey]).toString('base64');
  return `${key.name}+${formatKeyId(key.keyId)}+${material}`;
}

/** `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>`. Keep it secret. */
export function formatSigningKey(key: SigningKey): string {
  const material = Buffer.concat([Buffer.from([ED25519_TYPE]), seedOf(key.privateKey)]).toString('base64');
  return `${PRIVATE_PREFIX}${key.name}+${formatKeyId(key.keyId)}+${material}`;
}

/** Splits `<name>+<hex id>+<base64 key material>` and decodes the Ed25519 key bytes. */
function splitKey(text: string, kind: string): { name: string; keyId: number; key: Buffer } {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) {
    throw new NoteError('malformed_key', `${kind} key must look like <name>+<hex key id>+<base64 key>`);
  }
  const [name, hexId, encoded] = [
    text.slice(0, first),
    text.slice(first + 1, second),
    text.slice(second + 1),
  ];
  assertKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(hexId)) {
    throw new NoteError(
      'malformed_key',
      `${kind} key id ${JSON.stringify(hexId)} is not 8 lowercase hex digits`,
    );
  }
  const material = decodeBase64Strict(encoded);
  if (material === undefined)
    throw new NoteError('malformed_key', `${kind} key material is not valid base64`);
  if (material[0] !== ED25519_TYPE) {
    const type = material[0] === undefined ? 'none' : `0x${material[0].toString(16).padStart(2, '0')}`;
    throw new NoteError('malformed_key', `${kind} key type ${type} is not Ed25519 (0x01)`);
  }
  if (material.length !== 33) {
    throw new NoteError('malformed_key', `${kind} key must hold 32 key bytes, got ${material.length - 1}`);
  }
  return { name, keyId: parseInt(hexId, 16), key: material.subarray(1) };
}

function assertKeyId(actual: number, stated: number, kind: string): void {
  if (actual !== stated) {
    throw new NoteError(
      'malformed_key',
      `${kind} key id ${formatKeyId(stated)} does not match its name and public key (${formatKeyId(actual)})`,
    );
  }
}

/** Parses a verifier key string; checks that the key id matches the name and key. */
export function parseVerifierKey(text: string): VerifierKey {
  const { name, keyId, key } = splitKey(text, 'verifier');
  const verifier = verifierKeyFromPublicKey(name, key);
  assertKeyId(verifier.keyId, keyId, 'verifier');
  return verifier;
}

/** Parses a `PRIVATE+KEY+…` signer key string; checks that the key id matches the derived public key. */
export function parseSigningKey(text: string): SigningKey {
  if (!text.startsWith(PRIVATE_PREFIX)) {
    throw new NoteError('malformed_key', `signer key must start with "${PRIVATE_PREFIX}"`);
  }
  const { name, keyId, key } = splitKey(text.slice(PRIVATE_PREFIX.length), 'signer');
  const signer = signingKeyFromSeed(name, key);
  assertKeyId(signer.keyId, keyId, 'signer');
  return signer;
}
