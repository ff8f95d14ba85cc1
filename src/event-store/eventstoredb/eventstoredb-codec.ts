import {
  jsonEvent,
  type EventData,
  type ResolvedEvent,
  type AllStreamResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { contentHash } from '../append-rules';
import type { JsonObject, NewEvent, RecordedEvent } from '../event-store.port';
import { parsePosition, positionOf, type Position } from '../position';

/**
 * How a port event is stored in EventStoreDB: the event type and id as they are, `data` as the JSON
 * body, and the rest (schema version, principal, correlation, causation, content hash, the writer's
 * stamp) as the JSON custom metadata. The port's `recordedAt` is derived from the stamps along `$all`
 * (eventstoredb-recorded-at.ts), not taken from the node's `created`.
 */
export interface StoredMetadata {
  readonly schemaVersion: number;
  readonly principal: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** sha256 of the canonical {type, schemaVersion, data}: what "the same content" means. */
  readonly contentHash: string;
  /** One per append call: tells an append that wrote from one the server answered from its dedupe cache. */
  readonly appendId: string;
  /** The writer's stamp: max(its clock, the transaction time of the last event it saw in `$all`). */
  readonly recordedAt?: string;
  /** Position (wire form) of that last event; null when the writer saw none. */
  readonly recordedAfter?: string | null;
}

/** What the writer puts in an event's metadata (eventstoredb-recorded-at.ts). */
export interface WriterStamp {
  readonly recordedAt: string;
  readonly recordedAfter: string | null;
}

/** The largest stamp an event can carry: the size check counts it before the stamp is known. */
export const LARGEST_STAMP: WriterStamp = {
  recordedAt: new Date(0).toISOString(),
  recordedAfter: `${2n ** 64n - 1n}-${2n ** 64n - 1n}`,
};

/** Prefix of the per-event-id claim streams (see eventstoredb-idempotency.ts). */
export const CLAIM_STREAM_PREFIX = 'evid-';
export const CLAIM_EVENT_TYPE = 'ChronologyEventIdClaimed';
/** The deployment's signed audit checkpoints: kept in the store, outside the Merkle log and feeds. */
export const CHECKPOINT_STREAM = 'chronology-audit-checkpoints';

export function encodeEvent(event: NewEvent, appendId: string, stamp?: WriterStamp): EventData {
  const metadata: StoredMetadata = {
    ...stamp,
    schemaVersion: event.schemaVersion,
    principal: event.metadata.principal,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    contentHash: contentHash(event),
    appendId,
  };
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: { ...metadata } });
}

/**
 * The same event for an append session (KurrentDB 25.1+), whose metadata must be strings only: the
 * node keeps it as properties and shows v1 reads a JSON object of them (plus its own `$schema.*`
 * keys). The schema version is written as digits, a missing causation id is left out, and a stamp
 * without a last event has an empty `recordedAfter`; decodeEvent and stampOf read both forms.
 */
export function encodeSessionEvent(event: NewEvent, appendId: string, stamp: WriterStamp): EventData {
  const metadata: Record<string, string> = {
    recordedAt: stamp.recordedAt,
    recordedAfter: stamp.recordedAfter ?? '',
    schemaVersion: String(event.schemaVersion),
    principal: event.metadata.principal,
    correlationId: event.metadata.correlationId,
    contentHash: contentHash(event),
    appendId,
  };
  if (event.metadata.causationId !== null) metadata.causationId = event.metadata.causationId;
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata });
}

/**
 * The size of an append as a node counts it against its MaxAppendSize (Event.SizeOnDisk): data
 * and metadata as the client sends them (JSON, UTF-8) and twice the length of the type.
 */
export function appendSize(events: readonly EventData[]): number {
  const bytes = (value: unknown): number =>
    value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8');
  return events.reduce((n, e) => n + bytes(e.data) + bytes(e.metadata) + e.type.length * 2, 0);
}

/**
 * Events the port never shows: system streams and system event types (`$`-prefixed, a real `$all`
 * is full of them), link events, and this adapter's own streams: claims and signed checkpoints.
 */
export function isHidden(streamId: string, type: string): boolean {
  return (
    streamId.startsWith('$') ||
    type.startsWith('$') ||
    streamId.startsWith(CLAIM_STREAM_PREFIX) ||
    streamId === CHECKPOINT_STREAM
  );
}

/**
 * The port's view of an event read from EventStoreDB, or null for an event the port does not show.
 * `recordedAt` (ms since the epoch) is its transaction time, which the caller derives from `$all`;
 * without it, the event's own stamp (stampOf) stands in.
 */
export function decodeEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
  recordedAt?: number,
): RecordedEvent | null {
  const e = resolved.event;
  if (!e || !e.isJson || isHidden(e.streamId, e.type)) return null;
  if (!e.position) throw new Error(`event ${e.id} in ${e.streamId} was read without a log position`);
  const meta = (e.metadata ?? {}) as Partial<StoredMetadata>;
  return {
    id: e.id,
    stream: e.streamId,
    revision: e.revision,
    position: positionOf(e.position.commit, e.position.prepare),
    type: e.type,
    schemaVersion: Number(meta.schemaVersion ?? 1), // a number, or digits from an append session
    data: e.data as JsonObject,
    metadata: {
      recordedAt: new Date(recordedAt ?? stampOf(resolved).at).toISOString(),
      principal: meta.principal ?? 'unknown',
      correlationId: meta.correlationId ?? e.id,
      causationId: meta.causationId ?? null,
    },
  };
}

/**
 * An event's stamp: `at` is the writer's `recordedAt` (ms), or the node's `created` for an event
 * written without one (before stamps, or by another writer); `after` is the position of the last
 * event its writer saw, null when it saw none, undefined when not known (no stamp).
 */
export function stampOf(resolved: ResolvedEvent | AllStreamResolvedEvent): {
  at: number;
  after: Position | null | undefined;
} {
  const e = resolved.event!;
  const meta = e.isJson ? ((e.metadata ?? {}) as Partial<StoredMetadata>) : {};
  const at = typeof meta.recordedAt === 'string' ? Date.parse(meta.recordedAt) : NaN;
  if (Number.isNaN(at)) return { at: e.created.getTime(), after: undefined };
  if (meta.recordedAfter === null || meta.recordedAfter === '') return { at, after: null };
  const after = typeof meta.recordedAfter === 'string' ? parsePosition(meta.recordedAfter) : null;
  return { at, after: after ?? undefined };
}

/** The content hash and append id stored with an event (null for events not written by this adapter). */
export function storedMarks(resolved: ResolvedEvent): { hash: string | null; appendId: string | null } {
  const meta = resolved.event?.metadata as Partial<StoredMetadata> | undefined;
  return {
    hash: typeof meta?.contentHash === 'string' ? meta.contentHash : null,
    appendId: typeof meta?.appendId === 'string' ? meta.appendId : null,
  };
}
