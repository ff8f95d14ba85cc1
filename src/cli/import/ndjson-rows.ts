import { DateTime } from 'luxon';
import { canonicalJson } from '../../shared/canonical-json';
import { isReportType } from '../../chronology/events/report-type-names';
import type { EventBody } from './import-batches';
import { importId } from './registry';

/** Event types that are never posted: API keys (the audit export carries them redacted). */
const NOT_POSTED = new Set(['ApiKeyIssued', 'ApiKeyRevoked']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** An instant in a zone's offset at that instant ("...Z" in Europe/Kyiv -> "...+02:00"). */
function inZone(instant: unknown, zone: string, minusMs = 0): unknown {
  if (typeof instant !== 'string') return instant;
  const local = DateTime.fromISO(instant, { setZone: true }).minus({ milliseconds: minusMs }).setZone(zone);
  return local.isValid ? local.toISO() : instant;
}

/**
 * `occurred` as posted: the server stores start and end in UTC beside the zone, and refuses an
 * instant whose offset disagrees with the zone; so they are given in the zone's offset again, and
 * what it adds (startLocal) is removed. The stored end is exclusive (the end of the last unit), a
 * posted end names the last unit: the millisecond before the stored end lies in it.
 */
function postedOccurred(o: unknown): unknown {
  if (!isObject(o)) return o;
  const { startLocal: _local, ...rest } = o;
  if (typeof rest.timezone === 'string') {
    rest.start = inZone(rest.start, rest.timezone);
    if (rest.end !== undefined) rest.end = inZone(rest.end, rest.timezone, 1);
  }
  return rest;
}

/**
 * A stored event's data as a POST body's data: the fields the server derives when it stores the
 * event removed (a report's entryId and codes, occurred.startLocal, a correction's codes, a
 * source's own actor id), so posting it again stores the same content.
 */
export function postedData(type: string, data: Json): Json {
  let out: Json = { ...data };
  if (isReportType(type)) {
    const { entryId: _e, codes: _c, ...rest } = out;
    out = rest;
  }
  if ('occurred' in out) out.occurred = postedOccurred(out.occurred);
  if (type === 'EntryCorrected' && isObject(out.changes)) {
    const { codes: _c, ...changes } = out.changes;
    if ('occurred' in changes) changes.occurred = postedOccurred(changes.occurred);
    out.changes = changes;
  }
  if (type === 'SourceRegistered' && isObject(out.ownActor)) {
    const { actorId: _a, ...own } = out.ownActor;
    out.ownActor = own;
  }
  return out;
}

/**
 * One NDJSON line as an event body: a POST /v1/events body ({type, data, id?}), or a line of the
 * audit export (`chronology export`, GET /v1/audit/log: {leafIndex, event}), whose event is posted
 * again under its own id. A body without an id gets one derived from its content, so that a second
 * run stores nothing new. `skip`: a line that is not an event to post (an API key event).
 */
export function ndjsonEvent(json: unknown): {
  event?: EventBody;
  skip?: string;
  problem?: { field: string; reason: string };
} {
  if (!isObject(json)) return { problem: { field: '(line)', reason: 'not a JSON object' } };
  if (isObject(json.event) && 'leafIndex' in json) {
    const e = json.event;
    if (NOT_POSTED.has(String(e.type)) || e.redacted === true) return { skip: String(e.type) };
    if (typeof e.id !== 'string' || typeof e.type !== 'string' || !isObject(e.data)) {
      return {
        problem: { field: 'event', reason: 'an audit export line whose event has no id, type or data' },
      };
    }
    return { event: { id: e.id, type: e.type, data: postedData(e.type, e.data) } };
  }
  if (typeof json.type !== 'string')
    return { problem: { field: 'type', reason: 'missing: each line is an event {"type", "data"}' } };
  if (NOT_POSTED.has(json.type)) return { skip: json.type };
  const { id, ...rest } = json;
  const body = { ...rest, data: isObject(json.data) ? json.data : {} } as unknown as EventBody;
  body.id =
    typeof id === 'string' ? id : importId(`ndjson:${canonicalJson({ type: json.type, data: json.data })}`);
  if (!isObject(json.data))
    return { problem: { field: 'data', reason: 'missing: each line is an event {"type", "data"}' } };
  return { event: body };
}
