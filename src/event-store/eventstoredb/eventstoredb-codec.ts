import {
  jsonEvent,
  type EventData,
  type ResolvedEvent,
  type AllStreamResolvedEvent,
} from '@eventstore/db-client';
import { contentHash } from '../append-rules';
import type { JsonObject, NewEvent, RecordedEvent } from '../event-store.port';
import { positionOf } from '../position';

/**
 * How a port event is stored in EventStoreDB: the event type and id as they are, `data` as the JSON
 * body, and the rest (schema version, principal, correlation, causation, content hash) as the JSON
 * custom metadata. `recordedAt` is the server's `created` timestamp.
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
}

/** Prefix of the per-event-id claim streams (see eventstoredb-idempotency.ts). */
export const CLAIM_STREAM_PREFIX = 'evid-';
export const CLAIM_EVENT_TYPE = 'ChronologyEventIdClaimed';
/** The deployment's signed audit checkpoints: kept in the store, outside the Merkle log and feeds. */
export const CHECKPOINT_STREAM = 'chronology-audit-checkpoints';

export function encodeEvent(event: NewEvent, appendId: string): EventData {
  const metadata: StoredMetadata = {
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

/** The port's view of an event read from EventStoreDB, or null for an event the port does not show. */
export function decodeEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
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
    schemaVersion: meta.schemaVersion ?? 1,
    data: e.data as JsonObject,
    metadata: {
      recordedAt: e.created.toISOString(),
      principal: meta.principal ?? 'unknown',
      correlationId: meta.correlationId ?? e.id,
      causationId: meta.causationId ?? null,
    },
  };
}

/** The content hash and append id stored with an event (null for events not written by this adapter). */
export function storedMarks(resolved: ResolvedEvent): { hash: string | null; appendId: string | null } {
  const meta = resolved.event?.metadata as Partial<StoredMetadata> | undefined;
  return {
    hash: typeof meta?.contentHash === 'string' ? meta.contentHash : null,
    appendId: typeof meta?.appendId === 'string' ? meta.appendId : null,
  };
}
