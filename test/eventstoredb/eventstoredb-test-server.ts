import * as grpc from '@grpc/grpc-js';
import { StreamsService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import { ServerFeaturesService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb';
import { StreamsServiceService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/streams_grpc_pb';
import { appendHandler, batchAppendHandler } from './append-handlers';
import { APPEND_SESSION_SERVICE, appendSessionHandler } from './append-session-handler';
import { InMemoryLog, type LogOptions } from './in-memory-log';
import { DEFAULT_MAX_APPEND_SIZE, FaultPlan } from './node-faults';
import { WireLog, readHandler } from './read-handler';

export interface TestServerOptions extends LogOptions {
  /** Advertise Streams.BatchAppend in ServerFeatures (real servers do; the client then uses it). */
  readonly batchAppend?: boolean;
  /** Send CaughtUp messages on subscriptions (EventStoreDB 23.10+ does). */
  readonly caughtUpMessages?: boolean;
  /** The node's MaxAppendSize in bytes (default 1 MiB, as a real node's). */
  readonly maxAppendSize?: number;
  /**
   * Serve KurrentDB 25.1's multi-stream append sessions (v2 StreamsService/AppendSession) and say
   * so in ServerFeatures, with server version 25.1; off by default, as on EventStoreDB up to 24.10.
   */
  readonly appendSession?: boolean;
  /** Another node's log, to run two nodes of one cluster (e.g. a follower that redirects to it). */
  readonly log?: InMemoryLog;
}

/** Deletes and tombstones are not modelled: answered with UNIMPLEMENTED, as for unknown methods. */
const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>): void =>
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not modelled by the test server' });

/**
 * An in-process gRPC server speaking the EventStoreDB client protocol (v1), built from the service
 * definitions generated inside @kurrent/kurrentdb-client (`generated/kurrentdb/protocols/v1/`; the
 * package ships no .proto files, and no other client may be loaded beside it: both would register
 * the same protobuf names). It keeps
 * its log across stop()/start(), on the same port, so tests can simulate an outage. By default it
 * behaves as a real node does where that bites (in-memory-log.ts, node-faults.ts): lower-case ids,
 * one commit position per event, the node's duplicate check, a clock that may step back, the 1 MiB
 * append limit; `faults` plans NotLeader, commit timeouts, deadlines and stalled reads.
 */
export class EventStoreDbTestServer {
  readonly log: InMemoryLog;
  readonly faults = new FaultPlan();
  /** The filters `$all` calls asked for and the events they were sent. */
  readonly wire = new WireLog();
  /** Calls received, by method name (`read`, `append`, `batchAppend`, `appendSession`), for tests. */
  readonly calls = new Map<string, number>();
  private server: grpc.Server | null = null;
  private boundPort = 0;

  constructor(private readonly options: TestServerOptions = {}) {
    this.log = options.log ?? new InMemoryLog(options);
  }

  static async start(options: TestServerOptions = {}): Promise<EventStoreDbTestServer> {
    const server = new EventStoreDbTestServer(options);
    await server.start();
    return server;
  }

  get port(): number {
    return this.boundPort;
  }

  get connectionString(): string {
    return `kurrentdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  get running(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = new grpc.Server();
    const node = {
      log: this.log,
      faults: this.faults,
      maxAppendSize: this.options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE,
      self: () => ({ host: '127.0.0.1', port: this.boundPort }),
    };
    const methods: Record<string, grpc.UntypedHandleCall> = {
      read: readHandler(this.log, {
        caughtUpMessages: this.options.caughtUpMessages ?? true,
        stalled: () => this.faults.takeStalledRead(),
        stalledSubscription: () => this.faults.takeStalledSubscription(),
        stalledReadEnded: () => this.faults.endedStalledReads++,
        wire: this.wire,
      }),
      append: appendHandler(node),
      batchAppend: batchAppendHandler(node),
      delete: unimplemented,
      tombstone: unimplemented,
    };
    server.addService(StreamsService, this.counted(methods));
    if (this.options.appendSession) {
      server.addService(StreamsServiceService, this.counted({ appendSession: appendSessionHandler(node) }));
    }
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<SupportedMethods>) =>
        callback(null, this.supportedMethods()),
    });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.boundPort}`, grpc.ServerCredentials.createInsecure(), (e, port) =>
        e ? reject(e) : resolve(port),
      ),
    );
    this.server = server;
  }

  /** Drops every open call and connection at once, as a crashed node would. */
  stop(): Promise<void> {
    this.server?.forceShutdown();
    this.server = null;
    return Promise.resolve();
  }

  /** The handlers, each counting its calls in `calls`. */
  private counted(methods: Record<string, grpc.UntypedHandleCall>): Record<string, grpc.UntypedHandleCall> {
    const counted: Record<string, grpc.UntypedHandleCall> = {};
    for (const [name, handler] of Object.entries(methods)) {
      counted[name] = ((...args: unknown[]) => {
        this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
        return (handler as (...a: unknown[]) => unknown)(...args);
      }) as grpc.UntypedHandleCall;
    }
    return counted;
  }

  private supportedMethods(): SupportedMethods {
    const method = (service: string, name: string): SupportedMethod => {
      const m = new SupportedMethod();
      m.setServiceName(service);
      m.setMethodName(name);
      return m;
    };
    const streams = 'event_store.client.streams.streams';
    const list = [method(streams, 'read'), method(streams, 'append')];
    if (this.options.batchAppend ?? true) list.push(method(streams, 'batchappend'));
    if (this.options.appendSession) list.push(method(APPEND_SESSION_SERVICE, 'appendsession'));
    const supported = new SupportedMethods();
    supported.setMethodsList(list);
    supported.setEventStoreServerVersion(this.options.appendSession ? '25.1.4-test' : '23.10.0-test');
    return supported;
  }
}
