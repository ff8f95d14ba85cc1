import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { WrongExpectedRevision } from './event-store.errors';
import type { AppendResult, ExpectedRevision, NewEvent } from './event-store.port';

/**
 * The rules every append follows, whichever store holds the log: the expected-revision check, what
 * "the same event" means for an idempotent retry, and the shape of the result.
 */

/** Throws WrongExpectedRevision unless the stream's revision (null: no such stream) is what was expected. */
export function checkExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  current: bigint | null,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === null) ||
    (expected === 'stream_exists' && current !== null) ||
    (typeof expected === 'bigint' && expected === current);
  if (!ok) throw new WrongExpectedRevision(stream, String(expected), current ?? 'no_stream');
}

/**
 * What makes two events "the same" for idempotency: sha256 of the canonical {type, schemaVersion,
 * data}. Stores keep it with each event and compare it byte for byte; the write side applies it to
 * both events upcast to their current version (chronology's sameEvent), so that a retry across a
 * deploy that bumps a schema version is still the same event.
 */
export function contentHash(event: Pick<NewEvent, 'type' | 'schemaVersion' | 'data'>): string {
  return sha256Hex(canonicalJson({ type: event.type, schemaVersion: event.schemaVersion, data: event.data }));
}

/** The result of an append whose events were written (or, `idempotent`, found written) as `written`. */
export function appendResult(
  stream: string,
  written: AppendResult['events'],
  idempotent: boolean,
): AppendResult {
  const last = written[written.length - 1]!;
  return {
    stream,
    nextExpectedRevision: last.revision,
    position: last.position,
    events: written,
    idempotent,
  };
}

/**
 * The forms an event id may be stored in: lower case (every id stored since issue 19), upper case
 * and the form given (ids stored before, as clients sent them). Ids are UUIDs: case carries nothing.
 */
export function eventIdForms(id: string): string[] {
  return [...new Set([id.toLowerCase(), id.toUpperCase(), id])];
}

export const sameEventId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
