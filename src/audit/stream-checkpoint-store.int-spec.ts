import { createHash } from 'node:crypto';
import { EventStoreDbTestServer } from '../../test/eventstoredb/eventstoredb-test-server';
import {
  CHECKPOINT_STREAM as HIDDEN_BY_ADAPTER,
  isHidden,
} from '../event-store/eventstoredb/eventstoredb-codec';
import { generateSigningKey, signCheckpoint, verifierKeyOf, type SigningKey } from './checkpoint';
import { CheckpointConflict, type SignedCheckpoint } from './checkpoint-store';
import { CHECKPOINT_STREAM, EventStoreDbCheckpointStream } from './eventstoredb-checkpoint-stream';
import { CHECKPOINT_SIGNED, StreamCheckpointStore } from './stream-checkpoint-store';

const ORIGIN = 'crisis.example/log';
const deployment = generateSigningKey(ORIGIN);

const root = (label: string): Buffer => createHash('sha256').update(label).digest();
const checkpoint = (size: number, label = `root ${size}`, key: SigningKey = deployment): SignedCheckpoint => {
  const rootHash = root(label);
  const note = signCheckpoint({ origin: ORIGIN, size, rootHash }, key);
  return { size, rootHash, note, signedAt: new Date().toISOString() };
};

/** Two instances' stores on one test server, against the real client over gRPC. */
describe('StreamCheckpointStore on EventStoreDB', () => {
  jest.setTimeout(30_000);
  let server: EventStoreDbTestServer;
  const open: StreamCheckpointStore[] = [];

  const instance = async (key: SigningKey = deployment, pageSize = 1000): Promise<StreamCheckpointStore> => {
    const stream = new EventStoreDbCheckpointStream(server.connectionString);
    const store = new StreamCheckpointStore(stream, verifierKeyOf(key), ORIGIN, pageSize, {
      warn: () => undefined,
    });
    open.push(store);
    await store.open();
    return store;
  };
  const stored = () => (server.log.stream(CHECKPOINT_STREAM) ?? []).map((r) => r.type);
  const sizesOf = (store: StreamCheckpointStore) => store.all().map((c) => c.size);

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await server.stop();
  });

  it('uses the stream the adapter keeps out of the log and the feeds', () => {
    expect(CHECKPOINT_STREAM).toBe(HIDDEN_BY_ADAPTER);
    expect(isHidden(CHECKPOINT_STREAM, CHECKPOINT_SIGNED)).toBe(true);
  });

  it('two instances signing the same size at once: one stores, the other adopts, one record', async () => {
    const [a, b] = [await instance(), await instance()];
    // Both know the same (empty) stream, so both append at the same expected revision.
    const outcomes = await Promise.all([a.publish(checkpoint(3)), b.publish(checkpoint(3))]);
    expect(outcomes.sort()).toEqual(['adopted', 'stored']);
    expect(stored()).toEqual([CHECKPOINT_SIGNED]);
    await Promise.all([a.refresh(), b.refresh()]);
    expect(a.all()).toEqual(b.all());
    const [record] = server.log.stream(CHECKPOINT_STREAM)!;
    const { note } = JSON.parse(Buffer.from(record!.data).toString('utf8')) as { note: string };
    expect(a.all().map((c) => c.note)).toEqual([note]);
  });

  it('a racing instance that signed another size learns what was stored and stores after it', async () => {
    const [a, b] = [await instance(), await instance()];
    expect(await a.publish(checkpoint(3))).toBe('stored');
    // b still knows nothing: its append at "no stream" is refused, and it reads what a stored.
    expect(await b.publish(checkpoint(5))).toBe('superseded');
    expect(sizesOf(b)).toEqual([3]);
    expect(await b.publish(checkpoint(5))).toBe('stored');
    await a.refresh();
    expect(sizesOf(a)).toEqual([3, 5]);
    expect(a.all()).toEqual(b.all());
    expect(stored()).toHaveLength(2);
  });

  it('another root for a size already stored is a loud error: the logs differ', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.publish(checkpoint(4, 'one log'));
    const refused = await b.publish(checkpoint(4, 'another log')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CheckpointConflict);
    expect((refused as Error).message).toMatch(/^the logs differ: .* at size 4/);
    expect(b.problem).toMatch(/the logs differ/);
    expect(stored()).toHaveLength(1);
    expect(b.at(4)!.rootHash).toEqual(root('one log'));
  });

  it('a first record signed with another key is skipped: signing goes on, only own checkpoints are served', async () => {
    const other = generateSigningKey(ORIGIN);
    const stranger = await instance(other);
    expect(await stranger.publish(checkpoint(2, 'root 2', other))).toBe('stored');
    // An instance started after it (or restarted): the stray record 0 is skipped, not a problem.
    const a = await instance();
    expect(a.all()).toEqual([]);
    expect(a.problem).toBeNull();
    expect(a.skipped).toBe(1);
    expect(a.warning).toMatch(
      /^1 record\(s\) .*revision 0 .*not signed by this instance's key .*AUDIT_SIGNING_KEY/,
    );
    expect(await a.publish(checkpoint(2))).toBe('stored');
    expect(await a.publish(checkpoint(3))).toBe('stored');
    const late = await instance();
    expect(sizesOf(late)).toEqual([2, 3]);
    expect(late.all().map((c) => c.note)).toEqual(a.all().map((c) => c.note));
    expect(late.problem).toBeNull();
    expect(stored()).toHaveLength(3);
  });

  it('after a skipped record, another root under this key for a stored size still stops signing', async () => {
    const other = generateSigningKey(ORIGIN);
    await (await instance(other)).publish(checkpoint(4, 'stray', other));
    const [a, b] = [await instance(), await instance()];
    expect(await a.publish(checkpoint(4, 'one log'))).toBe('stored');
    const refused = await b.publish(checkpoint(4, 'another log')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CheckpointConflict);
    expect(b.problem).toMatch(/^the logs differ: .* at size 4/);
    expect(b.at(4)!.rootHash).toEqual(root('one log'));
  });

  it('an instance opened later reads every stored checkpoint, page by page, byte for byte', async () => {
    const a = await instance();
    for (let size = 1; size <= 7; size++) expect(await a.publish(checkpoint(size))).toBe('stored');
    const late = await instance(deployment, 3);
    expect(late.all().map((c) => c.note)).toEqual(a.all().map((c) => c.note));
    expect(late.latest()!.size).toBe(7);
    expect(await late.publish(checkpoint(8))).toBe('stored');
    expect(stored()).toHaveLength(8);
  });
});
