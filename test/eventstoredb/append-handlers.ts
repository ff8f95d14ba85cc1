import * as grpc from '@grpc/grpc-js';
import { Empty as PbEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import * as shared from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
} from '@eventstore/db-client/generated/streams_pb';
import type { Expected, InMemoryLog, ProposedRecord } from './in-memory-log';

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

/** Streams.Append: client-streaming; options first, then one message per event. */
export function appendHandler(log: InMemoryLog): grpc.handleClientStreamingCall<AppendReq, AppendResp> {
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
      const expected = appendExpected(options);
      const outcome = log.append(streamName(options.getStreamIdentifier()), expected, events);
      const resp = new AppendResp();
      if (outcome.ok) {
        const position = new AppendResp.Position();
        position.setCommitPosition(outcome.commit.toString());
        position.setPreparePosition(outcome.prepare.toString());
        const success = new AppendResp.Success();
        success.setCurrentRevision(outcome.revision.toString());
        success.setPosition(position);
        resp.setSuccess(success);
      } else {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (outcome.current === null) wrong.setCurrentNoStream(new shared.Empty());
        else wrong.setCurrentRevision(outcome.current.toString());
        if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
        else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new shared.Empty());
        else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new shared.Empty());
        else wrong.setExpectedAny(new shared.Empty());
        resp.setWrongExpectedVersion(wrong);
      }
      callback(null, resp);
    });
  };
}

/**
 * Streams.BatchAppend: one long-lived bidirectional stream; requests carry a correlation id, the
 * first one the options, the one marked final closes that append. Replies echo the correlation id
 * and the stream identifier; a wrong version is a google.rpc.Status packing WrongExpectedVersion.
 */
export function batchAppendHandler(
  log: InMemoryLog,
): grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    const pending = new Map<string, { options?: BatchAppendReq.Options; events: ProposedRecord[] }>();
    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId()!;
      const key = correlation.getString();
      const entry = pending.get(key) ?? { events: [] };
      pending.set(key, entry);
      if (req.hasOptions()) entry.options = req.getOptions();
      entry.events.push(...req.getProposedMessagesList().map(toProposed));
      if (!req.getIsFinal()) return;
      pending.delete(key);
      const options = entry.options!;
      const expected = batchExpected(options);
      const outcome = log.append(streamName(options.getStreamIdentifier()), expected, entry.events);
      const resp = new BatchAppendResp();
      resp.setCorrelationId(correlation);
      resp.setStreamIdentifier(options.getStreamIdentifier());
      if (outcome.ok) {
        const position = new shared.AllStreamPosition();
        position.setCommitPosition(outcome.commit.toString());
        position.setPreparePosition(outcome.prepare.toString());
        const success = new BatchAppendResp.Success();
        success.setCurrentRevision(outcome.revision.toString());
        success.setPosition(position);
        resp.setSuccess(success);
      } else {
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
      call.write(resp);
    });
    call.on('error', () => undefined);
    call.on('end', () => call.end());
  };
}
