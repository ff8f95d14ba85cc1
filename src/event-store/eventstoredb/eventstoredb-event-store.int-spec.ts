import {
  EventStoreDbTestServer,
  type TestServerOptions,
} from '../../../test/eventstoredb/eventstoredb-test-server';
import { eventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// The contract through the real @kurrent/kurrentdb-client over real gRPC, to the in-process test server:
// as KurrentDB 25.1+ is used (one append session per append), as EventStoreDB 23.10-24.10 is
// (BatchAppend, CaughtUp messages), and as older ones are (Append, no CaughtUp: the adapter detects
// caught-up from the head).
const SERVERS: Array<[string, TestServerOptions]> = [
  ['append sessions (KurrentDB 25.1)', { appendSession: true }],
  ['BatchAppend', {}],
  ['Append, no CaughtUp', { batchAppend: false, caughtUpMessages: false }],
];

for (const [name, options] of SERVERS) {
  eventStoreContract(`eventstoredb (kurrentdb-client over gRPC, test server, ${name})`, async () => {
    const server = await EventStoreDbTestServer.start(options);
    const store = new EventStoreDbEventStore({ connectionString: server.connectionString });
    return {
      store,
      dispose: async () => {
        await store.close();
        await server.stop();
      },
    };
  });
}
