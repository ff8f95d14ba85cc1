import { sign, verify } from 'node:crypto';
import { NoteError } from './note-error';
import { formatKeyId, type SigningKey, type VerifierKey } from './note-keys';
import { decodeBase64Strict, decodeUtf8Strict, findTextProblem, isValidKeyName } from './text-rules';

/*
 * C2SP signed notes (c2sp.org/signed-note): text ending in a newline, a blank line, then one or more
 * lines "— <key name> <base64(4-byte key id || signature)>". Ed25519 signatures only.
 */

/** Notes with more signature lines than this are rejected (the spec asks for at least 16). */
export const MAX_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
const ED25519_SIGNATURE_SIZE = 64;

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** base64(key id || signature), as on the line. */
  readonly base64: string;
}

/** A note whose signature from at least one of the given keys verified. */
export interface OpenedNote {
  /** The signed text, final newline included. */
  readonly body: string;
  /** Signatures that verified with a given key. */
  readonly verified: readonly NoteSignature[];
  /** Signatures from keys not given (ignored, as the spec requires; e.g. witnesses' cosignatures). */
  readonly unverified: readonly NoteSignature[];
}

function assertNoteText(body: string): void {
  if (!body.endsWith('\n')) throw new NoteError('malformed_note', 'note text must end with a newline');
  const problem = findTextProblem(body);
  if (problem !== undefined) throw new NoteError('malformed_note', `note text has a ${problem}`);
}

/** The signature line of `signer` over `body`. */
function signatureLine(body: string, signer: SigningKey): string {
  const keyId = Buffer.alloc(4);
  keyId.writeUInt32BE(signer.keyId);
  const signature = sign(null, Buffer.from(body, 'utf8'), signer.privateKey);
  return `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
}

/** Signs `body` (note text ending in a newline) with one or more keys; returns the signed note. */
export function signNote(body: string, signers: SigningKey | readonly SigningKey[]): string {
  assertNoteText(body);
  const list: readonly SigningKey[] = Array.isArray(signers) ? signers : [signers as SigningKey];
  if (list.length === 0) throw new NoteError('malformed_note', 'a note needs at least one signer');
  return `${body}\n${list.map((signer) => signatureLine(body, signer)).join('')}`;
}

/** Splits a signed note into its text and parsed signature lines, checking only the syntax. */
export function parseNote(note: string | Uint8Array): { body: string; signatures: NoteSignature[] } {
  const text = typeof note === 'string' ? note : decodeUtf8Strict(note);
  if (text === undefined) throw new NoteError('malformed_note', 'note is not valid UTF-8');
  const problem = findTextProblem(text);
  if (problem !== undefined) throw new NoteError('malformed_note', `note has a ${problem}`);
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed_note', 'note has no blank line before its signatures');
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block === '') throw new NoteError('malformed_note', 'note has no signature lines');
  if (!block.endsWith('\n')) throw new NoteError('malformed_note', 'note must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) {
    throw new NoteError('malformed_note', `note has ${lines.length} signatures, more than ${MAX_SIGNATURES}`);
  }
  return { body, signatures: lines.map((line, i) => parseSignatureLine(line, i + 1)) };
}

function parseSignatureLine(line: string, number: number): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw new NoteError(
      'malformed_note',
      `signature line ${number} does not start with "— " (em dash, space)`,
    );
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const base64 = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name)) {
    throw new NoteError(
      'malformed_note',
      `signature line ${number} has an invalid key name ${JSON.stringify(name)}`,
    );
  }
  const bytes = decodeBase64Strict(base64);
  if (bytes === undefined || bytes.length < 5) {
    throw new NoteError('malformed_note', `signature line ${number} (${name}) has no valid base64 signature`);
  }
  return { name, keyId: bytes.readUInt32BE(0), base64 };
}

const keyLabel = (s: { name: string; keyId: number }): string => `${s.name}+${formatKeyId(s.keyId)}`;

/** The single key among `keys` that a signature names, if any; several distinct keys are an error. */
function findKey(keys: readonly VerifierKey[], sig: NoteSignature): VerifierKey | undefined {
  const [first, ...others] = keys.filter((k) => k.name === sig.name && k.keyId === sig.keyId);
  if (first !== undefined && others.some((k) => !k.publicKey.equals(first.publicKey))) {
    throw new NoteError('ambiguous_key', `several verifier keys are named ${keyLabel(sig)}`);
  }
  return first;
}

function signatureVerifies(body: Buffer, sig: NoteSignature, key: VerifierKey): boolean {
  const signature = Buffer.from(sig.base64, 'base64').subarray(4);
  return signature.length === ED25519_SIGNATURE_SIZE && verify(null, body, key.keyObject, signature);
}

/**
 * Opens a signed note: returns its text when at least one signature from `keys` verifies. Signatures
 * from other keys are ignored (listed as unverified); a signature from a given key that does not verify
 * rejects the whole note. Throws a NoteError: malformed_note, unknown_key (nothing signed by a given
 * key), invalid_signature or ambiguous_key.
 */
export function openNote(note: string | Uint8Array, keys: VerifierKey | readonly VerifierKey[]): OpenedNote {
  const list: readonly VerifierKey[] = Array.isArray(keys) ? keys : [keys as VerifierKey];
  const { body, signatures } = parseNote(note);
  const bodyBytes = Buffer.from(body, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const sig of signatures) {
    const key = findKey(list, sig);
    if (key !== undefined && !signatureVerifies(bodyBytes, sig, key)) {
      throw new NoteError('invalid_signature', `signature by ${keyLabel(sig)} does not verify`);
    }
    const id = key === undefined ? `${sig.name} ${sig.base64}` : keyLabel(sig);
    if (seen.has(id)) continue;
    seen.add(id);
    (key === undefined ? unverified : verified).push(sig);
  }
  if (verified.length === 0) {
    const signers = signatures.map(keyLabel).join(', ');
    const known = list.map(keyLabel).join(', ') || 'none';
    throw new NoteError('unknown_key', `note is signed by ${signers}; none is a known key (${known})`);
  }
  return { body, verified, unverified };
}
