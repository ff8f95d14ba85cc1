/** What went wrong with a note, a key or a checkpoint; the message says precisely where. */
export type NoteErrorCode =
  | 'malformed_note'
  | 'malformed_key'
  | 'malformed_checkpoint'
  | 'unknown_key'
  | 'ambiguous_key'
  | 'invalid_signature'
  | 'wrong_origin';

/** The one error type of this module, so callers can map `code` to a response. */
export class NoteError extends Error {
  constructor(
    readonly code: NoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

export const isNoteError = (e: unknown): e is NoteError => e instanceof NoteError;
