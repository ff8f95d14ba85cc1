import * as grpc from '@grpc/grpc-js';
import { Empty as PbEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import * as shared from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import { Code } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/code_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import type { AppendOutcome, Expected, InMemoryLog, ProposedRecord } from './in-memory-log';
import {
  appendTimeoutError,
  batchMaxAppendSizeStatus,
  batchTimeoutStatus,
  maxAppendSizeError,
  notLeaderError,
  sizeOnDisk,
  type AppendFault,
  type FaultPlan,
} from './node-faults';

/** What the append handlers need of the node: its log, its limits, planned faults, its address. */
export interface NodeContext {
  readonly log: InMemoryLog;
  readonly faults: FaultPlan;
  readonly maxAppendSize: number;
  readonly self: () => { host: string; port: number };
}

const sizeOf = (events: readonly ProposedRecord[]): number =>
  events.reduce((n, e) => n + sizeOnDisk(e.type, e.data, e.customMetadata), 0);

type ProposedMessage = AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage;

function toProposed(m: ProposedMessage): ProposedRecord {
  const meta = m.getMetadataMap();
  return {
    id: m.getId()!.getString(),
    type: meta.get('type') ?? '',
    contentType: meta.get('content-type') ?? 'application/octet-stream',
    data: m.getData_asU8(),
    customMetadata: m.getCustomMetadata_asU8(),
  };
}

const streamName = (id: shared.StreamIdentifier | undefined): string =>
  Buffer.from(id?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

function appendExpected(o: AppendReq.Options): Expected {
  if (o.hasRevision()) return { kind: 'revision', revision: BigInt(o.getRevision()) };
  if (o.hasNoStream()) return { kind: 'no_stream' };
  if (o.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

function batchExpected(o: BatchAppendReq.Options): Expected {
  if (o.hasStreamPosition()) return { kind: 'revision', revision: BigInt(o.getStreamPosition()) };
  if (o.hasNoStream()) return { kind: 'no_stream' };
  if (o.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

/**
 * Streams.Append: client-streaming; options first, then one message per event. A wrong version is
 * a normal reply; the size limit, NotLeader and timeouts are gRPC statuses (node-faults.ts).
 */
export function appendHandler(node: NodeContext): grpc.handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedRecord[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      else if (req.hasProposedMessage()) events.push(toProposed(req.getProposedMessage()!));
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'no options' });
      if (sizeOf(events) > node.maxAppendSize) return callback(maxAppendSizeError(node.maxAppendSize));
      const stream = streamName(options.getStreamIdentifier());
      const planned = node.faults.take(stream);
      if (planned?.kind === 'slow-commit') {
        void planned.until.then(() => commit(undefined));
        return;
      }
      commit(planned);
    });

    function commit(fault: Exclude<AppendFault, { kind: 'slow-commit' }> | undefined): void {
      if (!options) return;
      const stream = streamName(options.getStreamIdentifier());
      if (fault?.kind === 'not-leader') return callback(notLeaderError(fault.leader ?? node.self()));
      const expected = appendExpected(options);
      const outcome = !fault || fault.written ? node.log.append(stream, expected, events) : null;
      if (fault?.kind === 'commit-timeout') return callback(appendTimeoutError());
      if (fault?.kind === 'deadline') return; // no answer: the client's own deadline ends the call
      callback(null, appendResp(outcome!, expected));
    }
  };
}

function appendResp(outcome: AppendOutcome, expected: Expected): AppendResp {
  const resp = new AppendResp();
  if (outcome.ok) {
    const success = new AppendResp.Success();
    success.setCurrentRevision(outcome.revision.toString());
    if (outcome.position) {
      const position = new AppendResp.Position();
      position.setCommitPosition(outcome.position.commit.toString());
      position.setPreparePosition(outcome.position.prepare.toString());
      success.setPosition(position);
    } else success.setNoPosition(new shared.Empty());
    resp.setSuccess(success);
    return resp;
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === null) wrong.setCurrentNoStream(new shared.Empty());
  else wrong.setCurrentRevision(outcome.current.toString());
  if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
  else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new shared.Empty());
  else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new shared.Empty());
  else wrong.setExpectedAny(new shared.Empty());
  resp.setWrongExpectedVersion(wrong);
  return resp;
}

/**
 * Streams.BatchAppend: one long-lived bidirectional stream; requests carry a correlation id, the
 * first one the options, the one marked final closes that append. Replies echo the correlation id
 * and the stream identifier; a wrong version, the size limit and timeouts are a google.rpc.Status
 * in the reply; NotLeader ends the whole call (the server throws RpcExceptions.LeaderInfo there).
 */
export function batchAppendHandler(
  node: NodeContext,
): grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    const pending = new Map<string, { options: BatchAppendReq.Options; events: ProposedRecord[] }>();
    let ended = false;
    call.on('data', (req: BatchAppendReq) => {
      if (ended) return;
      const correlation = req.getCorrelationId()!;
      const key = correlation.getString();
      if (req.hasOptions()) pending.set(key, { options: req.getOptions()!, events: [] });
      const entry = pending.get(key);
      if (!entry) return; // refused earlier (too large): the rest of it is ignored, as a node does
      const reply = (set: (resp: BatchAppendResp) => void): void => {
        const resp = new BatchAppendResp();
        resp.setCorrelationId(correlation);
        resp.setStreamIdentifier(entry.options.getStreamIdentifier());
        set(resp);
        if (!call.cancelled && !call.destroyed) call.write(resp);
      };
      entry.events.push(...req.getProposedMessagesList().map(toProposed));
      if (sizeOf(entry.events) > node.maxAppendSize) {
        pending.delete(key);
        return reply((r) => r.setError(batchMaxAppendSizeStatus(node.maxAppendSize)));
      }
      if (!req.getIsFinal()) return;
      pending.delete(key);
      const stream = streamName(entry.options.getStreamIdentifier());
      const planned = node.faults.take(stream);
      if (planned?.kind === 'slow-commit') void planned.until.then(() => commit(undefined));
      else commit(planned);

      function commit(fault: Exclude<AppendFault, { kind: 'slow-commit' }> | undefined): void {
        if (!entry) return;
        if (fault?.kind === 'not-leader') {
          ended = true;
          call.emit('error', notLeaderError(fault.leader ?? node.self()));
          return;
        }
        const expected = batchExpected(entry.options);
        const outcome = !fault || fault.written ? node.log.append(stream, expected, entry.events) : null;
        if (fault?.kind === 'commit-timeout') return reply((r) => r.setError(batchTimeoutStatus()));
        if (fault?.kind === 'deadline') {
          // The node answers a write it could not complete at the deadline the request carries.
          const deadline = deadlineOf(entry.options);
          setTimeout(
            () => reply((r) => r.setError(batchTimeoutStatus())),
            Math.max(0, deadline - Date.now()),
          );
          return;
        }
        reply((r) => batchResult(r, outcome!, expected));
      }
    });
    call.on('error', () => undefined);
    call.on('end', () => call.end());
  };
}

/** The request's deadline (ms since the epoch): a timestamp (21.10+ clients) or a duration from now. */
function deadlineOf(o: BatchAppendReq.Options): number {
  if (o.hasDeadline21100()) return o.getDeadline21100()!.toDate().getTime();
  const d = o.getDeadline();
  return Date.now() + (d ? d.getSeconds() * 1000 + d.getNanos() / 1e6 : 0);
}

function batchResult(resp: BatchAppendResp, outcome: AppendOutcome, expected: Expected): void {
  if (outcome.ok) {
    const success = new BatchAppendResp.Success();
    success.setCurrentRevision(outcome.revision.toString());
    if (outcome.position) {
      const position = new shared.AllStreamPosition();
      position.setCommitPosition(outcome.position.commit.toString());
      position.setPreparePosition(outcome.position.prepare.toString());
      success.setPosition(position);
    } else success.setNoPosition(new PbEmpty());
    resp.setSuccess(success);
    return;
  }
  const wrong = new shared.WrongExpectedVersion();
  if (outcome.current === null) wrong.setCurrentNoStream(new PbEmpty());
  else wrong.setCurrentStreamRevision(outcome.current.toString());
  if (expected.kind === 'revision') wrong.setExpectedStreamPosition(expected.revision.toString());
  else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new PbEmpty());
  else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new PbEmpty());
  else wrong.setExpectedAny(new PbEmpty());
  const details = new Any();
  details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  const status = new Status();
  status.setCode(Code.FAILED_PRECONDITION);
  status.setMessage('wrong expected version');
  status.setDetails(details);
  resp.setError(status);
}
