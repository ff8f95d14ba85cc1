import {
  EventStoreDbTestServer,
  type TestServerOptions,
} from '../../../test/eventstoredb/eventstoredb-test-server';
import { eventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// The contract through the real @kurrent/kurrentdb-client over real gRPC, to the in-process test server:
// once as current servers are used (BatchAppend, CaughtUp messages), once as older ones (Append, no
// CaughtUp: the adapter detects caught-up from the head).
const SERVERS: Array<[string, TestServerOptions]> = [
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
