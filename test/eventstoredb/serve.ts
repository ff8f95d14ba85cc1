// One EventStoreDB test server in a process of its own, for benchmarks (bench/post-paths.ts):
// prints its connection string on stdout, then serves until SIGTERM. TEST_SERVER_APPEND_SESSION=1
// makes it a KurrentDB 25.1 node with append sessions.
import { EventStoreDbTestServer } from './eventstoredb-test-server';

const appendSession = process.env.TEST_SERVER_APPEND_SESSION === '1';
void EventStoreDbTestServer.start({ appendSession }).then((server) => {
  process.stdout.write(`${server.connectionString}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
});
