import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import type { Value } from 'google-protobuf/google/protobuf/struct_pb';
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import { NotLeaderNodeErrorDetails } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/errors_pb';
import {
  AppendTransactionSizeExceededErrorDetails,
  StreamAlreadyInAppendSessionErrorDetails,
  StreamRevisionConflictErrorDetails,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb';
import {
  AppendResponse,
  AppendSessionResponse,
  SchemaFormat,
  type AppendRecord,
  type AppendRequest,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/streams_pb';
import type { NodeContext } from './append-handlers';
import type { Expected, ProposedRecord, SessionRequest } from './in-memory-log';
import { sizeOnDisk, type AppendFault } from './node-faults';

/*
 * KurrentDB 25.1's v2 `StreamsService/AppendSession` (src/KurrentDB.Api.V2/Modules/Streams): the
 * client streams one AppendRequest per stream, the node checks and writes them as one transaction
 * (InMemoryLog.appendSession) and answers each stream's last revision and the session's position.
 *
 * Errors are a gRPC status with a google.rpc.Status in the `grpc-status-details-bin` trailer. A node
 * sends [ErrorInfo, <details>]; @kurrent/kurrentdb-client 1.3.1 decodes `details` as one Any, so only
 * the specific one is sent here, which is what it then sees. As that client maps them:
 * - a revision conflict: FAILED_PRECONDITION + StreamRevisionConflictErrorDetails → WrongExpectedVersionError;
 * - NotLeader: FAILED_PRECONDITION + NotLeaderNodeErrorDetails → UnknownError (no redirect);
 * - a stream twice in one session: ABORTED + StreamAlreadyInAppendSessionErrorDetails → TimeoutError;
 * - over the size limit: ABORTED + AppendTransactionSizeExceededErrorDetails → TransactionMaxSizeExceededError;
 * - a commit timeout: DEADLINE_EXCEEDED → DeadlineExceededError;
 * - idempotent and new streams mixed (a re-sent session on a cache miss): INTERNAL → UnavailableError;
 * - a bad record (id not a GUID, type outside `^[a-zA-Z0-9_.$:-]+$`): INVALID_ARGUMENT → UnknownError.
 * Records are stored as a node shows them to v1 reads: the properties as JSON custom metadata with
 * `$schema.name` (and `$schema.format` for JSON records) added, in the node's formatting.
 */

export const APPEND_SESSION_SERVICE = 'kurrentdb.protocol.v2.streams.streamsservice';
const TYPE_NAME = /^[a-zA-Z0-9_.$:-]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The status a node sends, with `details` packed as the client reads it. */
function failure(
  code: grpc.status,
  message: string,
  type: string,
  details?: Uint8Array,
): Partial<grpc.StatusObject> {
  const status = new Status();
  status.setCode(code as number); // google.rpc.Code and gRPC status numbers are the same
  status.setMessage(message);
  if (details) {
    const any = new Any();
    any.pack(details, type);
    status.setDetails(any);
  }
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  return { code, details: message, metadata };
}

const expectedOf = (raw: string | undefined): Expected => {
  const n = BigInt(raw ?? '-2');
  if (n === -1n) return { kind: 'no_stream' };
  if (n === -4n) return { kind: 'stream_exists' };
  if (n < 0n) return { kind: 'any' };
  return { kind: 'revision', revision: n };
};

/** The node's JsonFormatter output for a Struct: `{ "k": "v", "k2": "v2" }`. */
function metadataJson(record: AppendRecord, json: boolean): Uint8Array {
  const entries: Array<[string, unknown]> = [];
  record.getPropertiesMap().forEach((value: Value, key: string) => entries.push([key, value.toJavaScript()]));
  entries.push(['$schema.name', record.getSchema()?.getName() ?? '']);
  if (json) entries.push(['$schema.format', 'Json']);
  const body = entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ');
  return Buffer.from(`{ ${body} }`, 'utf8');
}

function toProposed(record: AppendRecord): ProposedRecord | string {
  const id = record.getRecordId() ?? '';
  const type = record.getSchema()?.getName() ?? '';
  const format = record.getSchema()?.getFormat();
  if (!GUID.test(id)) return `record id '${id}' is not a GUID`;
  if (!TYPE_NAME.test(type)) return `schema name '${type}' is not valid`;
  if (format !== SchemaFormat.SCHEMA_FORMAT_JSON && format !== SchemaFormat.SCHEMA_FORMAT_BYTES)
    return `schema format ${format} is not supported`;
  const json = format === SchemaFormat.SCHEMA_FORMAT_JSON;
  return {
    id,
    type,
    contentType: json ? 'application/json' : 'application/octet-stream',
    data: record.getData_asU8(),
    customMetadata: metadataJson(record, json),
  };
}

export function appendSessionHandler(
  node: NodeContext,
): grpc.handleClientStreamingCall<AppendRequest, AppendSessionResponse> {
  return (call, callback) => {
    const requests: SessionRequest[] = [];
    let problem: Partial<grpc.StatusObject> | null = null;
    call.on('data', (req: AppendRequest) => {
      if (problem) return;
      const stream = req.getStream();
      if (requests.some((r) => r.stream.toLowerCase() === stream.toLowerCase())) {
        const details = new StreamAlreadyInAppendSessionErrorDetails();
        details.setStream(stream);
        problem = failure(
          grpc.status.ABORTED,
          `Stream '${stream}' is already in the append session.`,
          'kurrentdb.protocol.v2.streams.errors.StreamAlreadyInAppendSessionErrorDetails',
          details.serializeBinary(),
        );
        return;
      }
      const records = req.getRecordsList().map(toProposed);
      const bad = records.find((r): r is string => typeof r === 'string');
      if (bad || records.length === 0) {
        problem = failure(grpc.status.INVALID_ARGUMENT, bad ?? 'records are required', '');
        return;
      }
      requests.push({
        stream,
        expected: expectedOf(req.getExpectedRevision()),
        records: records as ProposedRecord[],
      });
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (problem) return callback(problem);
      if (requests.length === 0)
        return callback(failure(grpc.status.FAILED_PRECONDITION, 'No append requests', ''));
      const size = requests.reduce(
        (n, r) => n + r.records.reduce((m, e) => m + sizeOnDisk(e.type, e.data, e.customMetadata), 0),
        0,
      );
      if (size > node.maxAppendSize) {
        const details = new AppendTransactionSizeExceededErrorDetails();
        details.setSize(size);
        details.setMaxSize(node.maxAppendSize);
        return callback(
          failure(
            grpc.status.ABORTED,
            `The append transaction size of ${size} exceeds the maximum of ${node.maxAppendSize}.`,
            'kurrentdb.protocol.v2.streams.errors.AppendTransactionSizeExceededErrorDetails',
            details.serializeBinary(),
          ),
        );
      }
      // A fault planned for any of the session's streams applies to the whole session (taken once).
      let planned: AppendFault | undefined;
      for (const r of requests) if ((planned = node.faults.take(r.stream))) break;
      if (planned?.kind === 'slow-commit') {
        void planned.until.then(() => commit(undefined));
        return;
      }
      commit(planned);
    });

    function commit(fault: Exclude<AppendFault, { kind: 'slow-commit' }> | undefined): void {
      if (fault?.kind === 'not-leader') {
        const leader = fault.leader ?? node.self();
        const info = new NotLeaderNodeErrorDetails.NodeInfo();
        info.setHost(leader.host);
        info.setPort(leader.port);
        const details = new NotLeaderNodeErrorDetails();
        details.setCurrentLeader(info);
        return callback(
          failure(
            grpc.status.FAILED_PRECONDITION,
            'Not leader',
            'kurrent.rpc.NotLeaderNodeErrorDetails',
            details.serializeBinary(),
          ),
        );
      }
      const outcome = !fault || fault.written ? node.log.appendSession(requests) : null;
      if (fault?.kind === 'commit-timeout') {
        return callback(failure(grpc.status.DEADLINE_EXCEEDED, 'Operation timed out', ''));
      }
      if (fault?.kind === 'deadline' || !outcome) return; // no answer: the client's deadline ends the call
      if (outcome.kind === 'mixed') {
        return callback(failure(grpc.status.INTERNAL, 'failed to map error: WrongExpectedVersion', ''));
      }
      if (outcome.kind === 'conflict') {
        const request = requests[outcome.index]!;
        const details = new StreamRevisionConflictErrorDetails();
        details.setStream(request.stream);
        details.setExpectedRevision(rawExpected(request.expected));
        details.setActualRevision(String(outcome.current ?? -1n));
        return callback(
          failure(
            grpc.status.FAILED_PRECONDITION,
            `Append failed due to a revision conflict on stream '${request.stream}'.`,
            'kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails',
            details.serializeBinary(),
          ),
        );
      }
      const response = new AppendSessionResponse();
      response.setOutputList(
        requests.map((r, i) => {
          const out = new AppendResponse();
          out.setStream(r.stream);
          out.setStreamRevision(String(outcome.revisions[i]));
          return out;
        }),
      );
      response.setPosition(String(outcome.position.commit));
      callback(null, response);
    }
  };
}

function rawExpected(expected: Expected): string {
  if (expected.kind === 'revision') return String(expected.revision);
  return expected.kind === 'no_stream' ? '-1' : expected.kind === 'stream_exists' ? '-4' : '-2';
}
