import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { eventStoreContract } from '../../src/event-store/testing/event-store.contract';

// The same contract against a real EventStoreDB / KurrentDB node: `npm run test:eventstoredb` with
// EVENTSTORE_CONNECTION_STRING set (docs/eventstoredb.md, "The contract against a real node"). Skipped otherwise.
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreContract(`eventstoredb (real server at ${connectionString.replace(/\/\/[^@/]*@/, '//')})`, () => {
    const store = new EventStoreDbEventStore({ connectionString });
    return Promise.resolve({ store, dispose: () => store.close() });
  });
} else {
  describe('EventStore contract: eventstoredb (real server)', () => {
    it.skip('needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false', () => undefined);
  });
}
