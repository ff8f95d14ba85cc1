/** C2SP signed notes and tlog checkpoints with Ed25519 keys (node:crypto). */
export type { NoteErrorCode } from './note-error';
export { NoteError, isNoteError } from './note-error';
export type { SigningKey, VerifierKey } from './note-keys';
export {
  ED25519_TYPE,
  ed25519KeyId,
  formatKeyId,
  formatSigningKey,
  formatVerifierKey,
  generateSigningKey,
  parseSigningKey,
  parseVerifierKey,
  signingKeyFromSeed,
  verifierKeyFromPublicKey,
  verifierKeyOf,
} from './note-keys';
export type { NoteSignature, OpenedNote } from './signed-note';
export { MAX_SIGNATURES, openNote, parseNote, signNote } from './signed-note';
export type { Checkpoint } from './checkpoint';
export { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint';
export { isValidKeyName } from './text-rules';
