import type { AuditConfig } from '../config';
import { generateSigningKey, signCheckpoint } from './checkpoint';
import { CheckpointSigner } from './checkpoint-signer';
import {
  CheckpointConflict,
  type CheckpointStore,
  type PublishOutcome,
  type SignedCheckpoint,
} from './checkpoint-store';
import { createMemoryLog, leafHash, rootAt } from './merkle';

const ORIGIN = 'crisis.example/log';
const key = generateSigningKey(ORIGIN);
const config = { origin: ORIGIN, checkpointEvery: 2, checkpointIntervalMs: 60_000 } as AuditConfig;
const clock = { now: () => new Date('2026-01-01T00:00:00Z') };

/** A shared stream as another instance sees it: `others` are stored by someone else before each read. */
class FakeStream implements CheckpointStore {
  readonly kind = 'stream';
  problem: string | null = null;
  readonly warning = null;
  readonly stored: SignedCheckpoint[] = [];
  readonly others: SignedCheckpoint[] = [];
  /** What publish answers next, once: to play a refused append. */
  nextOutcome: PublishOutcome | Error | null = null;
  open = () => Promise.resolve();
  refresh = () => {
    this.stored.push(...this.others.splice(0));
    return Promise.resolve();
  };
  publish = (c: SignedCheckpoint): Promise<PublishOutcome> => {
    const outcome = this.nextOutcome ?? 'stored';
    this.nextOutcome = null;
    if (outcome instanceof Error) return Promise.reject(outcome);
    if (outcome === 'stored') this.stored.push(c);
    else void this.refresh();
    return Promise.resolve(outcome);
  };
  latest = () => this.all().pop() ?? null;
  at = (size: number) => this.stored.find((c) => c.size === size) ?? null;
  all = () => [...this.stored].sort((a, b) => a.size - b.size);
  close = () => Promise.resolve();
}

function setUp(leaves: number) {
  const log = createMemoryLog();
  const grow = (n: number) => {
    for (let i = 0; i < n; i++) log.append(leafHash(Buffer.from(`event ${log.size()}`)));
  };
  grow(leaves);
  const store = new FakeStream();
  const errors: string[] = [];
  const tree = () => ({ ...log.reader, node: log.reader.node.bind(log.reader), size: log.size() });
  const signer = new CheckpointSigner(store, key, tree, config, clock, { error: (m) => errors.push(m) });
  const checkpointOf = (size: number, rootHash = rootAt(tree(), size)): SignedCheckpoint => ({
    size,
    rootHash,
    note: signCheckpoint({ origin: ORIGIN, size, rootHash }, key),
    signedAt: clock.now().toISOString(),
  });
  return { store, signer, errors, grow, checkpointOf, tree };
}

describe('CheckpointSigner', () => {
  it('signs the whole tree when asked, and after that every `checkpointEvery` events', async () => {
    const { store, signer, grow } = setUp(3);
    await signer.sign(true);
    grow(1);
    await signer.sign(false);
    grow(1);
    await signer.sign(false);
    expect(store.stored.map((c) => c.size)).toEqual([3, 5]);
  });

  it('learns what another instance signed before signing, and signs nothing already covered', async () => {
    const { store, signer, checkpointOf } = setUp(4);
    store.others.push(checkpointOf(4));
    await signer.sign(true);
    expect(store.stored.map((c) => c.size)).toEqual([4]);
    expect(signer.problem).toBeNull();
  });

  it('an adopted checkpoint the tree does not build: the logs differ, signing stops', async () => {
    const { store, signer, errors, grow, checkpointOf } = setUp(5);
    // Not the latest one: every adopted checkpoint is compared, not only the last.
    store.others.push(checkpointOf(3, Buffer.alloc(32, 7)), checkpointOf(4));
    await signer.sign(true);
    expect(store.stored.map((c) => c.size)).toEqual([3, 4]);
    expect(signer.problem).toMatch(/^the logs differ: .* at size 3/);
    expect(errors).toEqual([signer.problem]);
    grow(5);
    await signer.sign(true);
    expect(store.stored.map((c) => c.size)).toEqual([3, 4]);
  });

  it('superseded by another signer meanwhile: signs again past what it learnt', async () => {
    const { store, signer, grow, checkpointOf } = setUp(6);
    await signer.sign(true);
    grow(2);
    store.others.push(checkpointOf(7));
    store.nextOutcome = 'superseded';
    await signer.sign(true);
    expect(store.stored.map((c) => c.size)).toEqual([6, 7, 8]);
  });

  it('another root stored for its size (CheckpointConflict) stops signing, loudly', async () => {
    const { store, signer, errors, grow } = setUp(2);
    store.nextOutcome = new CheckpointConflict('the logs differ: another root at size 2');
    await expect(signer.sign(true)).rejects.toBeInstanceOf(CheckpointConflict);
    expect(signer.problem).toBe('the logs differ: another root at size 2');
    expect(errors).toHaveLength(1);
    grow(3);
    await signer.sign(true);
    expect(store.stored).toEqual([]);
  });
});
