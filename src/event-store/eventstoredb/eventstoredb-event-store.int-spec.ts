import { EventStoreDbTestServer } from '../../../test/eventstoredb/eventstoredb-test-server';
import { eventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// The contract through the real @eventstore/db-client over real gRPC, to the in-process test server:
// once as current servers are used (BatchAppend, CaughtUp messages), once as older ones (Append, no
// CaughtUp: the adapter detects caught-up from the head).
eventStoreContract('eventstoredb (client 6.2.1 over gRPC, test server, BatchAppend)', async () => {
  const server = await EventStoreDbTestServer.start();
  const store = new EventStoreDbEventStore({ connectionString: server.connectionString });
  return {
    store,
    dispose: async () => {
      await store.close();
      await server.stop();
    },
  };
});

eventStoreContract('eventstoredb (client 6.2.1 over gRPC, test server, Append, no CaughtUp)', async () => {
  const server = await EventStoreDbTestServer.start({ batchAppend: false, caughtUpMessages: false });
  const store = new EventStoreDbEventStore({ connectionString: server.connectionString });
  return {
    store,
    dispose: async () => {
      await store.close();
      await server.stop();
    },
  };
});
