import { randomUUID } from 'node:crypto';
import {
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { EventStoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../event-store.errors';
import type { NewEvent } from '../event-store.port';
import { contentHash } from '../append-rules';
import { decodeEvent, encodeEvent, isHidden, stampOf } from './eventstoredb-codec';
import { positionOf } from '../position';
import { endpointOf, forClient } from './eventstoredb-connection';
import { isTransient, toPortError } from './eventstoredb-errors';

const event: NewEvent = {
  id: randomUUID(),
  type: 'DiplomatExpelled',
  schemaVersion: 2,
  data: { b: 1, a: { y: 2, x: 1 } },
  metadata: { principal: 'key-1', correlationId: randomUUID(), causationId: null },
};

/** What the client hands back for an event written with encodeEvent. */
function asRead(stream: string, created: Date): ResolvedEvent {
  const encoded = encodeEvent(event, 'append-1');
  return {
    event: {
      streamId: stream,
      id: encoded.id,
      revision: 4n,
      type: encoded.type,
      data: encoded.data,
      metadata: encoded.metadata,
      isJson: true,
      created,
      position: { commit: 900n, prepare: 870n },
    },
  } as ResolvedEvent;
}

describe('eventstoredb codec', () => {
  it('round-trips an event, recordedAt being the server time', () => {
    const created = new Date('2026-03-01T10:00:00.123Z');
    expect(decodeEvent(asRead('entry-1', created))).toEqual({
      id: event.id,
      stream: 'entry-1',
      revision: 4n,
      position: { commit: 900n, prepare: 870n },
      type: 'DiplomatExpelled',
      schemaVersion: 2,
      data: event.data,
      metadata: { ...event.metadata, recordedAt: '2026-03-01T10:00:00.123Z' },
    });
  });

  it("takes the writer's stamp over the node's created, and its position bound", () => {
    const stamp = { recordedAt: '2026-03-01T12:00:00.000Z', recordedAfter: '700' };
    const read = asRead('entry-1', new Date('2026-03-01T11:58:30.000Z'));
    const stamped = { event: { ...read.event!, metadata: encodeEvent(event, 'append-1', stamp).metadata } };
    expect(decodeEvent(stamped as ResolvedEvent)!.metadata.recordedAt).toBe(stamp.recordedAt);
    expect(stampOf(stamped as ResolvedEvent)).toEqual({
      at: Date.parse(stamp.recordedAt),
      after: positionOf(700n),
    });
    expect(stampOf(read)).toEqual({ at: Date.parse('2026-03-01T11:58:30.000Z'), after: undefined });
    expect(
      decodeEvent(stamped as ResolvedEvent, Date.parse('2026-03-01T12:00:05Z'))!.metadata.recordedAt,
    ).toBe('2026-03-01T12:00:05.000Z');
  });

  it('hides system streams, system types and claim streams', () => {
    expect(isHidden('$stats-127.0.0.1:2113', '$statsCollected')).toBe(true);
    expect(isHidden('entry-1', '$metadata')).toBe(true);
    expect(isHidden(`evid-${randomUUID()}`, 'ChronologyEventIdClaimed')).toBe(true);
    expect(isHidden('entry-1', 'DiplomatExpelled')).toBe(false);
    expect(decodeEvent(asRead('$et-DiplomatExpelled', new Date()))).toBeNull();
  });

  it('hashes content independently of key order, and not the metadata', () => {
    const reordered: NewEvent = {
      ...event,
      data: { a: { x: 1, y: 2 }, b: 1 },
      metadata: { ...event.metadata, principal: 'other' },
    };
    expect(contentHash(reordered)).toBe(contentHash(event));
    expect(contentHash({ ...event, schemaVersion: 3 })).not.toBe(contentHash(event));
  });
});

describe('eventstoredb error mapping', () => {
  const endpoint = 'esdb://db:2113';

  it('maps a wrong expected version with the actual revision', () => {
    const e = toPortError(
      new WrongExpectedVersionError(undefined, { streamName: 'entry-1', current: 3n, expected: 1n }),
      endpoint,
    );
    expect(e).toBeInstanceOf(WrongExpectedRevision);
    expect((e as WrongExpectedRevision).actual).toBe(3n);
    const missing = toPortError(
      new WrongExpectedVersionError(undefined, { streamName: 'x', current: 'no_stream', expected: 0n }),
      endpoint,
    );
    expect((missing as WrongExpectedRevision).actual).toBe('no_stream');
  });

  it('maps stream not found and unavailability; leaves other errors alone', () => {
    expect(toPortError(new StreamNotFoundError(undefined, 'entry-1'), endpoint, 'entry-1')).toBeInstanceOf(
      StreamNotFound,
    );
    const down = toPortError(new UnavailableError(undefined, 'connect ECONNREFUSED'), endpoint);
    expect(down).toBeInstanceOf(EventStoreUnavailable);
    expect((down as Error).message).toBe(
      'EventStoreDB at esdb://db:2113 is unavailable: connect ECONNREFUSED',
    );
    const other = new UnknownError(undefined, 'boom');
    expect(toPortError(other, endpoint)).toBe(other);
  });

  it('takes a commit timeout on the Append path (UnknownError, gRPC code 10) as transient, as raw codes 4 and 14', () => {
    const aborted = new UnknownError({ code: 10, details: 'Operation timed out' } as never);
    expect(aborted.code).toBe(10);
    expect(isTransient(aborted)).toBe(true);
    expect(toPortError(aborted, endpoint)).toBeInstanceOf(EventStoreUnavailable);
    expect(isTransient(new UnknownError({ code: 2, details: 'boom' } as never))).toBe(false);
    expect(isTransient({ code: 14, details: 'No connection established' })).toBe(true);
    expect(isTransient({ code: 4, details: 'Deadline exceeded' })).toBe(true);
    expect(isTransient({ code: 10, details: 'raw' })).toBe(false);
  });
});

describe('eventstoredb connection strings', () => {
  it('gives the client the kurrentdb scheme for every accepted form (esdb is deprecated there)', () => {
    expect(forClient('esdb://a:2113?tls=false')).toBe('kurrentdb://a:2113?tls=false');
    expect(forClient('esdb+discover://cluster:2113')).toBe('kurrentdb+discover://cluster:2113');
    expect(forClient(' kdb+discover://cluster:2113')).toBe('kurrentdb+discover://cluster:2113');
    expect(forClient('KDB://a:2113')).toBe('kurrentdb://a:2113');
    expect(forClient('kurrentdb://a:2113')).toBe('kurrentdb://a:2113');
  });

  it('names the hosts in messages as configured, without credentials or options', () => {
    expect(endpointOf('esdb://admin:changeit@n1:2113,n2:2113?tls=true&tlsCAFile=/ca.crt')).toBe(
      'esdb://n1:2113,n2:2113',
    );
    expect(endpointOf('kurrentdb://admin:changeit@n1:2113/?tls=true')).toBe('kurrentdb://n1:2113');
  });
});
