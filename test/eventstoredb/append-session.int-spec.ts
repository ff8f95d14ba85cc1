import { randomUUID } from 'node:crypto';
import {
  DeadlineExceededError,
  KurrentDBClient,
  TimeoutError,
  UnavailableError,
  UnknownError,
  UnsupportedError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendStreamRequest,
} from '@kurrent/kurrentdb-client';
import { rejection } from '../../src/event-store/testing/event-store.contract';
import { EventStoreDbTestServer, type TestServerOptions } from './eventstoredb-test-server';

const event = (id: string = randomUUID(), type = 'Tested', metadata?: Record<string, string>) =>
  jsonEvent({ id, type, data: { n: 1 }, ...(metadata ? { metadata } : {}) });

/**
 * KurrentDB 25.1's multi-stream append session as the test server serves it, through the real
 * client's `multiStreamAppend` over gRPC: one atomic transaction, the node's commit check per
 * stream, its errors as the client maps them, and records shown to v1 reads as a node shows them.
 */
describe('append sessions on the test server', () => {
  let server: EventStoreDbTestServer;
  let client: KurrentDBClient;

  const start = async (options: TestServerOptions = { appendSession: true }): Promise<void> => {
    server = await EventStoreDbTestServer.start(options);
    client = KurrentDBClient.connectionString(server.connectionString);
  };
  afterEach(async () => {
    await client.dispose();
    await server.stop();
  });

  const ids = (stream: string): string[] => (server.log.stream(stream) ?? []).map((r) => r.id);
  const pair = (a: string, b: string, ea = event(), eb = event()): AppendStreamRequest[] => [
    { streamName: a, expectedState: 'no_stream', events: [ea] },
    { streamName: b, expectedState: 'any', events: [eb] },
  ];

  it('is not offered by a node before 25.1: the client says so without calling it', async () => {
    await start({});
    const refused = await rejection(client.multiStreamAppend(pair(`a-${randomUUID()}`, `b-${randomUUID()}`)));
    expect(refused).toBeInstanceOf(UnsupportedError);
  });

  it('writes every stream in one transaction and answers each stream’s revision and the last position', async () => {
    await start();
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const id = randomUUID().toUpperCase();
    const result = await client.multiStreamAppend(pair(a, b, event(id, 'Tested', { who: 'x' })));
    expect(result.responses).toEqual([
      { streamName: a, revision: 0n },
      { streamName: b, revision: 0n },
    ]);
    const [ra, rb] = [server.log.stream(a)![0]!, server.log.stream(b)![0]!];
    expect(result.position).toBe(rb.commit);
    expect(ra.commit < rb.commit).toBe(true);
    // Nothing else lies between them in the log: they were written in one turn.
    const all = server.log.all;
    expect(all.indexOf(rb)).toBe(all.indexOf(ra) + 1);
    expect(ra.id).toBe(id.toLowerCase());
    // What a v1 read gets as custom metadata: the properties as the node formats them, plus its keys.
    expect(Buffer.from(ra.customMetadata).toString()).toBe(
      '{ "who": "x", "$schema.name": "Tested", "$schema.format": "Json" }',
    );
    expect(ra.contentType).toBe('application/json');
  });

  it('a revision conflict on one stream writes nothing, and names that stream', async () => {
    await start();
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    await client.multiStreamAppend(pair(a, `c-${randomUUID()}`));
    const refused = await rejection(
      client.multiStreamAppend([
        { streamName: b, expectedState: 'any', events: [event()] },
        { streamName: a, expectedState: 'no_stream', events: [event()] },
      ]),
    );
    expect(refused).toBeInstanceOf(WrongExpectedVersionError);
    expect(refused).toMatchObject({ streamName: a, expectedState: 'no_stream', actualState: 0n });
    expect(ids(b)).toEqual([]);
    expect(ids(a)).toHaveLength(1);
  });

  it('a stream named twice (in any case) is refused as the node does, and nothing is written', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    const refused = await rejection(
      client.multiStreamAppend([
        { streamName: s, expectedState: 'any', events: [event()] },
        { streamName: s.toUpperCase(), expectedState: 'any', events: [event()] },
      ]),
    );
    expect(refused).toBeInstanceOf(TimeoutError); // the client's name for ABORTED
    expect(ids(s)).toEqual([]);
  });

  it('a session sent again with the same ids is answered as it was, and written once', async () => {
    await start();
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const requests: AppendStreamRequest[] = [
      { streamName: a, expectedState: 'no_stream', events: [event()] },
      { streamName: b, expectedState: 'no_stream', events: [event(), event()] },
    ];
    const first = await client.multiStreamAppend(requests);
    const again = await client.multiStreamAppend(requests);
    expect(again).toEqual(first);
    expect([ids(a).length, ids(b).length]).toEqual([1, 2]);
  });

  it('a session part stored and part new is refused as a 25.1 node does (INTERNAL), writing nothing', async () => {
    await start();
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const stored = event();
    await client.multiStreamAppend([{ streamName: a, expectedState: 'no_stream', events: [stored] }]);
    const refused = await rejection(
      client.multiStreamAppend([
        { streamName: a, expectedState: 'no_stream', events: [stored] },
        { streamName: b, expectedState: 'no_stream', events: [event()] },
      ]),
    );
    expect(refused).toBeInstanceOf(UnavailableError);
    expect([ids(a).length, ids(b).length]).toEqual([1, 0]);
  });

  it('refuses an event type a node refuses in a session', async () => {
    await start();
    const s = `s-${randomUUID()}`;
    const refused = await rejection(
      client.multiStreamAppend([
        { streamName: s, expectedState: 'any', events: [event(randomUUID(), 'has space')] },
      ]),
    );
    expect(refused).toBeInstanceOf(UnknownError);
    expect(ids(s)).toEqual([]);
  });

  it('NotLeader and commit timeouts come as the client maps them; a timed-out commit may be stored', async () => {
    await start();
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    server.faults.failAppends({ kind: 'not-leader' });
    expect(await rejection(client.multiStreamAppend(pair(a, b)))).toBeInstanceOf(UnknownError);
    expect([ids(a).length, ids(b).length]).toEqual([0, 0]);
    server.faults.failAppends({ kind: 'commit-timeout', written: true });
    expect(await rejection(client.multiStreamAppend(pair(a, b)))).toBeInstanceOf(DeadlineExceededError);
    expect([ids(a).length, ids(b).length]).toEqual([1, 1]);
  });
});
