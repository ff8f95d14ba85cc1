import { API_KEY_ISSUED_VERSION, type ApiKeyIssuedDataV1 } from '../../auth/access.model';
import {
  contentHash,
  formatPosition,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '../../event-store';
import { CATALOGUE } from './catalogue';
import { REPORT_TYPE_NAMES } from './report-type-names';
import { OPAQUE_TYPE, type LogEvent, type StoredEventType } from './stored-events';

/** The current schema version of every stored event type: the catalogue's, and the access events'. */
export const CURRENT_VERSIONS: Readonly<Record<StoredEventType, number>> = {
  ...(Object.fromEntries([...CATALOGUE.values()].map((t) => [t.name, t.schemaVersion])) as Record<
    Exclude<StoredEventType, 'ApiKeyIssued' | 'ApiKeyRevoked'>,
    number
  >),
  ApiKeyIssued: API_KEY_ISSUED_VERSION,
  ApiKeyRevoked: 1,
};

type Upcaster = (data: JsonObject) => JsonObject;

/** Schema version 1 of a report named one place, `location`; version 2 names `locations`, each with a role. */
function locationsOf<T extends JsonObject>(data: T): JsonObject {
  const { location, ...rest } = data;
  return location === undefined
    ? rest
    : { ...rest, locations: [{ ...(location as JsonObject), role: 'where' }] };
}

const REPORT_V1: Readonly<Record<number, Upcaster>> = { 1: locationsOf };

/**
 * How data of an older schema version becomes the next one's: UPCASTERS[type][v] turns version v
 * into v + 1. Stored events are never rewritten (the audit log commits to them as they are); they
 * are upcast each time they are read.
 */
const UPCASTERS: Partial<Record<StoredEventType, Readonly<Record<number, Upcaster>>>> = {
  ...Object.fromEntries(REPORT_TYPE_NAMES.map((name) => [name, REPORT_V1])),
  // A correction of version 1 could replace `location`: it now replaces `locations`.
  EntryCorrected: {
    1: (data) => ({ ...data, changes: locationsOf(data.changes as JsonObject) }),
  },
  // Version 2 may carry the source's own actor. A version-1 source was registered before own
  // actors existed: it keeps none (its reports' default claimant is its affiliatedActorId, if any),
  // so its data reads on unchanged; inventing an actor for it would change what old logs project.
  SourceRegistered: { 1: (data) => data },
  // Version 1 stored the key's plain SHA-256 as keyHash; version 2 stores an HMAC. The old hash
  // cannot become an HMAC: it is carried as legacySha256, which keeps such keys usable.
  ApiKeyIssued: {
    1: (data) => {
      const { keyHash, ...rest } = data as unknown as ApiKeyIssuedDataV1;
      return { ...rest, legacySha256: keyHash };
    },
  },
};

/** An event this version cannot read: a type it does not know, or a schema version from a newer one. */
export class UndecodableEvent extends Error {
  constructor(event: RecordedEvent, why: string) {
    super(`event ${event.id} at position ${formatPosition(event.position)} (${event.type}): ${why}`);
  }
}

export const isStoredEventType = (type: string): type is StoredEventType =>
  Object.prototype.hasOwnProperty.call(CURRENT_VERSIONS, type);

/** `data` of `type` at `version`, upcast to the type's current version. */
function upcast(
  type: StoredEventType,
  version: number,
  data: JsonObject,
  fail: (why: string) => Error,
): JsonObject {
  const current = CURRENT_VERSIONS[type];
  if (!Number.isInteger(version) || version < 1) throw fail(`schema version ${version} is not valid`);
  if (version > current) {
    throw fail(
      `schema version ${version} was written by a newer version of the service (this one reads up to ${current})`,
    );
  }
  let out = data;
  for (let v = version; v < current; v++) {
    const step = UPCASTERS[type]?.[v];
    if (!step) throw fail(`no upcaster from schema version ${v}`);
    out = step(out);
  }
  return out;
}

/**
 * Decodes one event read from the log, once: a known type has its data upcast to the current
 * version (a version newer than this service knows is refused: its data cannot be read); an
 * unknown type becomes an opaque event (see OpaqueLogEvent), reported to `onUnknown`.
 */
export function decodeEvent(event: RecordedEvent, onUnknown?: (event: RecordedEvent) => void): LogEvent {
  const envelope = {
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    position: event.position,
    metadata: event.metadata,
    recorded: event,
  };
  if (!isStoredEventType(event.type)) {
    onUnknown?.(event);
    return { ...envelope, type: OPAQUE_TYPE, schemaVersion: event.schemaVersion, data: event.data };
  }
  const fail = (why: string): Error => new UndecodableEvent(event, why);
  return {
    ...envelope,
    type: event.type,
    schemaVersion: CURRENT_VERSIONS[event.type],
    data: upcast(event.type, event.schemaVersion, event.data, fail),
  } as LogEvent;
}

type Content = Pick<NewEvent, 'type' | 'schemaVersion' | 'data'>;

/**
 * "The same event", for an idempotent retry: the same content hash (the store's definition of
 * identical content) once both are upcast to the current version, so a retry that straddles a
 * deploy bumping a schema version is still recognised as the same request.
 */
export function sameEvent(a: Content, b: Content): boolean {
  return contentHash(currentForm(a)) === contentHash(currentForm(b));
}

function currentForm(e: Content): Content {
  if (!isStoredEventType(e.type)) return e;
  const fail = (why: string): Error => new Error(`${e.type}: ${why}`);
  return {
    type: e.type,
    schemaVersion: CURRENT_VERSIONS[e.type],
    data: upcast(e.type, e.schemaVersion, e.data, fail),
  };
}
