import { NoteError } from './note-error';
import type { SigningKey, VerifierKey } from './note-keys';
import { openNote, signNote, type OpenedNote } from './signed-note';
import { decodeBase64Strict, findTextProblem } from './text-rules';

/*
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint) note text:
 *   <origin>\n<tree size, decimal>\n<base64 RFC 6962 root hash>\n[<extension line>\n]...
 */

/** A log's signed tree head. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  /** 32-byte SHA-256 Merkle tree root. */
  readonly rootHash: Uint8Array;
  /** Opaque non-empty lines after the root hash (NOT RECOMMENDED by the spec). */
  readonly extensions?: readonly string[];
}

const ROOT_HASH_SIZE = 32;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

const malformed = (message: string): NoteError => new NoteError('malformed_checkpoint', message);

function assertLine(line: string, what: string): void {
  if (line === '') throw malformed(`${what} is empty`);
  if (line.includes('\n')) throw malformed(`${what} contains a newline`);
  const problem = findTextProblem(line);
  if (problem !== undefined) throw malformed(`${what} has a ${problem}`);
}

/** The checkpoint note text (unsigned body). */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  assertLine(origin, 'origin');
  if (!Number.isSafeInteger(size) || size < 0)
    throw malformed(`tree size ${size} is not a non-negative integer`);
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== ROOT_HASH_SIZE) {
    throw malformed(`root hash must be ${ROOT_HASH_SIZE} bytes`);
  }
  extensions.forEach((line, i) => assertLine(line, `extension line ${i + 1}`));
  const root = Buffer.from(rootHash).toString('base64');
  return [origin, String(size), root, ...extensions].map((line) => `${line}\n`).join('');
}

/** Parses checkpoint note text strictly; the NoteError (malformed_checkpoint) names the problem. */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith('\n')) throw malformed('checkpoint must end with a newline');
  const problem = findTextProblem(body);
  if (problem !== undefined) throw malformed(`checkpoint has a ${problem}`);
  const lines = body.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === undefined || sizeText === undefined || rootText === undefined) {
    throw malformed(`checkpoint needs origin, tree size and root hash lines, got ${lines.length} line(s)`);
  }
  if (origin === '') throw malformed('origin line is empty');
  if (!DECIMAL.test(sizeText)) {
    throw malformed(`tree size ${JSON.stringify(sizeText)} is not a decimal number without leading zeros`);
  }
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw malformed(`tree size ${sizeText} is larger than 2^53 - 1`);
  const rootHash = decodeBase64Strict(rootText);
  if (rootHash === undefined) throw malformed(`root hash ${JSON.stringify(rootText)} is not valid base64`);
  if (rootHash.length !== ROOT_HASH_SIZE) {
    throw malformed(`root hash must be ${ROOT_HASH_SIZE} bytes, got ${rootHash.length}`);
  }
  extensions.forEach((line, i) => {
    if (line === '') throw malformed(`extension line ${i + 1} is empty`);
  });
  return extensions.length > 0 ? { origin, size, rootHash, extensions } : { origin, size, rootHash };
}

/** Formats and signs a checkpoint; returns the signed note. */
export function signCheckpoint(checkpoint: Checkpoint, signers: SigningKey | readonly SigningKey[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Opens a signed checkpoint: verifies the note with `keys`, parses the body and, when `origin` is
 * given, requires that origin (NoteError wrong_origin otherwise).
 */
export function openCheckpoint(
  note: string | Uint8Array,
  keys: VerifierKey | readonly VerifierKey[],
  origin?: string,
): { checkpoint: Checkpoint; note: OpenedNote } {
  const opened = openNote(note, keys);
  const checkpoint = parseCheckpoint(opened.body);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new NoteError(
      'wrong_origin',
      `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`,
    );
  }
  return { checkpoint, note: opened };
}
