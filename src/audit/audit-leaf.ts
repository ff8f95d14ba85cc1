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
  readonly data: Record<string, unknown>;
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
      dataSha256: sha256Hex(canonicalJson(e.data)),
    }),
    'utf8',
  );
}

export const auditLeafHash = (e: LoggedEvent): Buffer => leafHash(leafBytes(e));
