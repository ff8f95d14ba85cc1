import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as shared from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { ReadReq, ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import { comparePos, type InMemoryLog, type LogPosition, type StoredRecord } from './in-memory-log';

export interface ReadHandlerOptions {
  /** Send the CaughtUp message when a subscription goes live (servers from 23.10 do; older ones don't). */
  readonly caughtUpMessages: boolean;
  /** True when this read is to be held without an answer (a node that stopped answering). */
  readonly stalled?: () => boolean;
  /** True when this subscription is to be held without a confirmation or any event. */
  readonly stalledSubscription?: () => boolean;
  /** Called when the client ends a held read (its deadline or a cancel): the node sees the call go. */
  readonly stalledReadEnded?: () => void;
  /** What `$all` calls asked for and what they were sent, for tests. */
  readonly wire?: WireLog;
}

/** A `$all` call's filter as the client sent it. */
export interface WireFilter {
  readonly on: 'stream' | 'type';
  readonly regex: string;
  readonly prefixes: readonly string[];
}

/** A Streams.Read call: what it read and the caller's `user-agent` ('' when it sent none). */
export interface WireRead {
  readonly kind: 'stream' | 'all' | 'subscription';
  readonly userAgent: string;
}

/** What the `$all` reads and subscriptions of a node were asked and sent (tests count on it). */
export class WireLog {
  /** Every `$all` call: read or subscription, and its filter (null: none). */
  readonly calls: Array<{ readonly subscription: boolean; readonly filter: WireFilter | null }> = [];
  /**
   * Every Streams.Read call with its caller's `user-agent`: grpc-js sends `grpc-node-js/…`; the
   * client's native bridge, which the adapter does not use, sends none.
   */
  readonly reads: WireRead[] = [];
  private readonly sent = new Map<string, number>();

  read(o: ReadReq.Options, metadata: grpc.Metadata): void {
    if (this.reads.length >= 10_000) this.reads.shift();
    const kind = o.hasSubscription() ? 'subscription' : o.hasAll() ? 'all' : 'stream';
    const agent = metadata.get('user-agent')[0];
    this.reads.push({ kind, userAgent: typeof agent === 'string' ? agent : '' });
  }

  called(subscription: boolean, o: ReadReq.Options): void {
    if (this.calls.length >= 10_000) this.calls.shift();
    const f = o.hasFilter() ? o.getFilter()! : null;
    const expr = f ? (f.hasEventType() ? f.getEventType()! : f.getStreamIdentifier()!) : null;
    const filter: WireFilter | null =
      f && expr
        ? { on: f.hasEventType() ? 'type' : 'stream', regex: expr.getRegex(), prefixes: expr.getPrefixList() }
        : null;
    this.calls.push({ subscription, filter });
  }

  wrote(record: StoredRecord): void {
    this.sent.set(record.stream, (this.sent.get(record.stream) ?? 0) + 1);
  }

  /** Events sent by `$all` reads and subscriptions from streams whose name matches. */
  sentFrom(stream: (name: string) => boolean): number {
    let n = 0;
    for (const [name, count] of this.sent) if (stream(name)) n += count;
    return n;
  }
}

function toReadResp(r: StoredRecord, allRead: boolean): ReadResp {
  const id = new shared.UUID();
  id.setString(r.id);
  const streamId = new shared.StreamIdentifier();
  streamId.setStreamName(Buffer.from(r.stream, 'utf8'));
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(id);
  recorded.setStreamIdentifier(streamId);
  recorded.setStreamRevision(r.revision.toString());
  recorded.setCommitPosition(r.commit.toString());
  recorded.setPreparePosition(r.prepare.toString());
  const meta = recorded.getMetadataMap();
  meta.set('type', r.type);
  meta.set('content-type', r.contentType);
  meta.set('created', r.createdTicks.toString());
  recorded.setData(r.data);
  recorded.setCustomMetadata(r.customMetadata);
  const event = new ReadResp.ReadEvent();
  event.setEvent(recorded);
  if (allRead) event.setCommitPosition(r.commit.toString());
  else event.setNoPosition(new shared.Empty());
  const resp = new ReadResp();
  resp.setEvent(event);
  return resp;
}

/** The filter of a subscription: on event type or stream name, by regex or prefixes. */
function filterOf(options: ReadReq.Options): (r: StoredRecord) => boolean {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const onType = filter.hasEventType();
  const expr = onType ? filter.getEventType()! : filter.getStreamIdentifier()!;
  const regex = expr.getRegex() ? new RegExp(expr.getRegex()) : null;
  const prefixes = expr.getPrefixList();
  return (r) => {
    const subject = onType ? r.type : r.stream;
    if (regex) return regex.test(subject);
    return prefixes.length === 0 || prefixes.some((p) => subject.startsWith(p));
  };
}

/** Index of the first record at or after `p` (the log is in position order). */
function firstAtOrAfter(records: readonly StoredRecord[], p: LogPosition): number {
  let [low, high] = [0, records.length];
  while (low < high) {
    const mid = (low + high) >> 1;
    if (comparePos(records[mid]!, p) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function position(p: ReadReq.Options.Position): LogPosition {
  return { commit: BigInt(p.getCommitPosition()), prepare: BigInt(p.getPreparePosition()) };
}

/**
 * Streams.Read: stream reads (both directions, StreamNotFound), $all reads (from a position
 * inclusive) and $all subscriptions (from a position exclusive; catch-up then live, filters,
 * checkpoints, CaughtUp). Stream subscriptions are not modelled.
 */
export function readHandler(
  log: InMemoryLog,
  options: ReadHandlerOptions,
): grpc.handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    const o = call.request.getOptions()!;
    // A held read answers nothing until the client gives up (its deadline, or a cancel).
    options.wire?.read(o, call.metadata);
    if (o.hasAll()) options.wire?.called(o.hasSubscription(), o);
    if (!o.hasSubscription() && options.stalled?.()) {
      call.on('cancelled', () => options.stalledReadEnded?.());
      return;
    }
    if (o.hasSubscription() && options.stalledSubscription?.()) return;
    const backwards = o.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = o.hasCount() ? Number(BigInt(o.getCount())) : Number.MAX_SAFE_INTEGER;
    if (o.hasStream()) {
      if (o.hasSubscription()) {
        call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'stream subscriptions' });
        return;
      }
      const s = o.getStream()!;
      const name = Buffer.from(s.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
      const records = log.stream(name);
      if (!records) {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(s.getStreamIdentifier());
        const resp = new ReadResp();
        resp.setStreamNotFound(notFound);
        call.write(resp);
        call.end();
        return;
      }
      let list = backwards ? [...records].reverse() : [...records];
      if (s.hasRevision()) {
        const from = BigInt(s.getRevision());
        list = list.filter((r) => (backwards ? r.revision <= from : r.revision >= from));
      } else if (s.hasEnd()) list = backwards ? list : [];
      for (const r of list.slice(0, count)) call.write(toReadResp(r, false));
      call.end();
      return;
    }
    const all = o.getAll()!;
    if (!o.hasSubscription()) {
      // As a node reads a page: from the position on, in time that grows with the page, not the log.
      const records = log.all;
      const from = all.hasPosition() ? position(all.getPosition()!) : null;
      const first = from ? firstAtOrAfter(records, from) : all.hasEnd() ? records.length : 0;
      const matches = filterOf(o);
      let sent = 0;
      const step = backwards ? -1 : 1;
      for (let i = backwards ? first - 1 : first; i >= 0 && i < records.length && sent < count; i += step) {
        const r = records[i]!;
        if (!matches(r)) continue;
        sent += 1;
        options.wire?.wrote(r);
        call.write(toReadResp(r, true));
      }
      call.end();
      return;
    }
    subscribe(call, log, o, options);
  };
}

/**
 * A $all subscription: catch-up from the log, then live. When a live subscriber stops reading (gRPC
 * flow control pushes back), a server that has the messages (23.10+) falls back to catch-up as a
 * real one does: FellBehind, read from the log after the last event sent, CaughtUp, live again.
 */
function subscribe(
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  log: InMemoryLog,
  o: ReadReq.Options,
  options: ReadHandlerOptions,
): void {
  const all = o.getAll()!;
  const matches = filterOf(o);
  const open = (): boolean => !call.cancelled && !call.destroyed;
  /** Writes a message; false when the call's buffer is full. */
  const send = (resp: ReadResp): boolean => open() && call.write(resp);
  const sendEvent = (r: StoredRecord): boolean => {
    if (open()) options.wire?.wrote(r);
    return send(toReadResp(r, true));
  };
  const message = (set: (resp: ReadResp) => void): ReadResp => {
    const resp = new ReadResp();
    set(resp);
    return resp;
  };
  const confirmation = new ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(randomUUID());
  send(message((r) => r.setConfirmation(confirmation)));

  let last: LogPosition | null = all.hasPosition() ? position(all.getPosition()!) : null;
  if (all.hasEnd()) last = log.all[log.all.length - 1] ?? null;
  let stop: (() => void) | null = null;
  const catchUp = (): void => {
    if (!open()) return;
    const backlog = log.all.filter((r) => last === null || comparePos(r, last) > 0);
    for (const r of backlog) if (matches(r)) sendEvent(r);
    const end = backlog[backlog.length - 1];
    last = end ?? last;
    if (end && o.hasFilter()) {
      const checkpoint = new ReadResp.Checkpoint();
      checkpoint.setCommitPosition(end.commit.toString());
      checkpoint.setPreparePosition(end.prepare.toString());
      send(message((r) => r.setCheckpoint(checkpoint)));
    }
    if (options.caughtUpMessages) send(message((r) => r.setCaughtUp(new ReadResp.CaughtUp())));
    // Same turn as the backlog was taken: nothing appended in between can be missed.
    stop = log.onAppend((r) => {
      last = r;
      if (!matches(r) || sendEvent(r) || !options.caughtUpMessages) return;
      stop?.();
      stop = null;
      log.fellBehind++;
      call.once('drain', () => {
        send(message((m) => m.setFellBehind(new ReadResp.FellBehind())));
        catchUp();
      });
    });
  };
  catchUp();
  const end = (): void => stop?.();
  call.on('cancelled', end);
  call.on('close', end);
  call.on('error', end);
}
