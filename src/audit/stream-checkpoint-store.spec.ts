import { createHash } from 'node:crypto';
import type { AuditConfig } from '../config';
import type { JsonObject } from '../event-store';
import { generateSigningKey, signCheckpoint, verifierKeyOf } from './checkpoint';
import { CheckpointSigner } from './checkpoint-signer';
import type { SignedCheckpoint } from './checkpoint-store';
import type { AppendOutcome, CheckpointStream, StreamRecord } from './checkpoint-stream';
import { createMemoryLog, leafHash } from './merkle';
import { CHECKPOINT_SIGNED, StreamCheckpointStore } from './stream-checkpoint-store';

const ORIGIN = 'crisis.example/log';
const key = generateSigningKey(ORIGIN);
const config = { origin: ORIGIN, checkpointEvery: 1, checkpointIntervalMs: 60_000 } as AuditConfig;
const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const quiet = { warn: () => undefined };

const checkpoint = (size: number): SignedCheckpoint => {
  const rootHash = createHash('sha256').update(`root ${size}`).digest();
  const note = signCheckpoint({ origin: ORIGIN, size, rootHash }, key);
  return { size, rootHash, note, signedAt: clock.now().toISOString() };
};

/**
 * A stream as EventStoreDB keeps it once $tb or $maxCount truncated it and a scavenge ran: the
 * revisions before `truncatedBefore` are gone from reads, yet the stream's last revision is kept.
 */
class TruncatedStream implements CheckpointStream {
  readonly records: StreamRecord[] = [];
  truncatedBefore = 0n;
  /** Whether a refused append reports the stream's actual revision. */
  reportsActual = true;

  get last(): bigint | null {
    return this.records.length ? BigInt(this.records.length - 1) : null;
  }

  read(fromRevision: bigint, maxCount: number): Promise<StreamRecord[]> {
    const from = fromRevision > this.truncatedBefore ? fromRevision : this.truncatedBefore;
    return Promise.resolve(this.records.filter((r) => r.revision >= from).slice(0, maxCount));
  }

  append(type: string, data: JsonObject, expected: bigint | null): Promise<AppendOutcome> {
    if (expected !== this.last) {
      return Promise.resolve({ written: false, ...(this.reportsActual ? { actual: this.last } : {}) });
    }
    this.records.push({ revision: BigInt(this.records.length), type, data });
    return Promise.resolve({ written: true });
  }

  close = () => Promise.resolve();
}

function truncated(): TruncatedStream {
  const stream = new TruncatedStream();
  for (let size = 1; size <= 3; size++) {
    void stream.append(CHECKPOINT_SIGNED, { note: checkpoint(size).note, signedAt: 'x' }, stream.last);
  }
  stream.truncatedBefore = 3n; // every record truncated: a read from revision 0 returns nothing
  return stream;
}

describe('StreamCheckpointStore on a truncated stream', () => {
  it('a refused append learns the revision the refusal reports and appends after it', async () => {
    const stream = truncated();
    const store = new StreamCheckpointStore(stream, verifierKeyOf(key), ORIGIN, 1000, quiet);
    await store.open();
    expect(store.all()).toEqual([]);
    expect(await store.publish(checkpoint(5))).toBe('superseded');
    expect(await store.publish(checkpoint(5))).toBe('stored');
    expect(stream.records.map((r) => r.revision)).toEqual([0n, 1n, 2n, 3n]);
    expect(store.all().map((c) => c.size)).toEqual([5]);
    expect(await store.publish(checkpoint(6))).toBe('stored');
    expect(store.problem).toBeNull();
  });

  it('the signer signs into it, and says so in its problem when attempts run out', async () => {
    const stream = truncated();
    const store = new StreamCheckpointStore(stream, verifierKeyOf(key), ORIGIN, 1000, quiet);
    await store.open();
    const log = createMemoryLog();
    for (let i = 0; i < 4; i++) log.append(leafHash(Buffer.from(`event ${i}`)));
    const tree = () => ({ ...log.reader, node: log.reader.node.bind(log.reader), size: log.size() });
    const errors: string[] = [];
    const signer = new CheckpointSigner(store, key, tree, config, clock, { error: (m) => errors.push(m) });

    // The refusal reports no revision: nothing to learn, every attempt is refused.
    stream.reportsActual = false;
    await signer.sign(true);
    expect(store.all()).toEqual([]);
    expect(signer.problem).toMatch(/refused 3 times/);
    expect(errors).toHaveLength(1);

    stream.reportsActual = true;
    await signer.sign(true);
    expect(store.all().map((c) => c.size)).toEqual([4]);
    expect(stream.records).toHaveLength(4);
    expect(signer.problem).toBeNull();
  });
});
