// One EventStoreDB test server in a process of its own, for benchmarks (bench/post-paths.ts):
// prints its connection string on stdout, then serves until SIGTERM.
import { EventStoreDbTestServer } from './eventstoredb-test-server';

void EventStoreDbTestServer.start().then((server) => {
  process.stdout.write(`${server.connectionString}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
});
