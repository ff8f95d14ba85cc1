import type { RecordedEvent } from '../event-store/event-store.port';
import { formatPosition } from '../event-store/position';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { leafHash } from './merkle';

/**
 * An event as the audit log exports it: plain JSON (no bigint), everything a leaf covers, so an
 * auditor can recompute every leaf offline from an export.
 */
export interface LoggedEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: string;
  readonly position: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** The payload; absent when redacted, and then `dataSha256` stands for it. */
  readonly data?: Record<string, unknown>;
  /** SHA-256 of the canonical payload, given instead of `data` by a redacted export line. */
  readonly dataSha256?: string;
  readonly redacted?: true;
  readonly metadata: {
    readonly recordedAt: string;
    readonly principal: string;
    readonly correlationId: string;
    readonly causationId: string | null;
  };
}

/** One line of `/v1/audit/log` (NDJSON): the event now in the store beside the leaf recorded for it. */
export interface ExportLine {
  /** 0-based index of the leaf in the tree (the event's place in the global log order). */
  readonly leafIndex: number;
  /** The leaf hash recorded when the event was first logged (base64); null if never recorded. */
  readonly leafHash: string | null;
  /** Position the leaf was recorded at (null if never recorded). */
  readonly recordedPosition: string | null;
  /** The event as the store holds it now; null if the store no longer has an event at this index. */
  readonly event: LoggedEvent | null;
}

export function loggedEvent(e: RecordedEvent): LoggedEvent {
  return {
    id: e.id,
    stream: e.stream,
    revision: e.revision.toString(),
    position: formatPosition(e.position),
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: {
      recordedAt: e.metadata.recordedAt,
      principal: e.metadata.principal,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
    },
  };
}

/**
 * The event with its payload replaced by the payload's hash, which is all a leaf commits to: the
 * export still verifies, and the payload (API key material) stays out of it.
 */
export function redactData(e: LoggedEvent): LoggedEvent {
  const { data: _data, ...rest } = e;
  return { ...rest, dataSha256: payloadSha256(e), redacted: true };
}

/** The payload's hash: computed from `data`, or as given by a redacted line. */
function payloadSha256(e: LoggedEvent): string {
  if (e.data !== undefined) return sha256Hex(canonicalJson(e.data));
  if (typeof e.dataSha256 === 'string') return e.dataSha256;
  throw new TypeError(`event ${e.id} has neither data nor dataSha256`);
}

/**
 * The bytes a leaf commits to: RFC 8785 canonical JSON of the event's identity, place in the log,
 * type, times, principal and the SHA-256 of its canonical payload. Version 1 of the leaf format.
 */
export function leafBytes(e: LoggedEvent): Buffer {
  return Buffer.from(
    canonicalJson({
      v: 1,
      id: e.id,
      stream: e.stream,
      revision: e.revision,
      position: e.position,
      type: e.type,
      schemaVersion: e.schemaVersion,
      recordedAt: e.metadata.recordedAt,
      principal: e.metadata.principal,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
      dataSha256: payloadSha256(e),
    }),
    'utf8',
  );
}

export const auditLeafHash = (e: LoggedEvent): Buffer => leafHash(leafBytes(e));
