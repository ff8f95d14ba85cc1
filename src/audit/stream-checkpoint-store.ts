import { openCheckpoint, type VerifierKey } from './checkpoint';
import type { CheckpointStream, StreamRecord } from './checkpoint-stream';
import {
  CheckpointConflict,
  type CheckpointStore,
  type PublishOutcome,
  type SignedCheckpoint,
} from './checkpoint-store';

/** The type of the events in the checkpoint stream. */
export const CHECKPOINT_SIGNED = 'AuditCheckpointSigned';

/**
 * The deployment's checkpoints on EventStoreDB: one stream in the store, shared by every instance.
 * A checkpoint is appended at the exact revision this instance last read, so of two instances
 * signing at once one writes and the other is refused; the refused one reads the stream and adopts
 * what is there (the same size must carry the same root, else the logs differ: CheckpointConflict).
 * Every note read is checked against the deployment's key and origin before it is served.
 */
export class StreamCheckpointStore implements CheckpointStore {
  readonly kind = 'stream';
  private readonly bySize = new Map<number, SignedCheckpoint>();
  private sorted: SignedCheckpoint[] = [];
  /** The next revision to read: every record before it has been read (or written) by this instance. */
  private next = 0n;
  private queue: Promise<unknown> = Promise.resolve();
  private reading: Promise<void> | null = null;
  private firstProblem: string | null = null;

  constructor(
    private readonly stream: CheckpointStream,
    private readonly verifier: VerifierKey,
    private readonly origin: string,
    /** Records read per call. */
    private readonly pageSize = 1000,
  ) {}

  get problem(): string | null {
    return this.firstProblem;
  }

  open(): Promise<void> {
    return this.refresh();
  }

  /** Callers arriving while a read is waiting its turn share it. */
  refresh(): Promise<void> {
    this.reading ??= this.exclusive(() => {
      this.reading = null;
      return this.readNew();
    });
    return this.reading;
  }

  publish(checkpoint: SignedCheckpoint): Promise<PublishOutcome> {
    return this.exclusive(async () => {
      const known = this.bySize.get(checkpoint.size);
      if (known) return this.adopt(checkpoint, known);
      const expected = this.next === 0n ? null : this.next - 1n;
      if (await this.stream.append(CHECKPOINT_SIGNED, toData(checkpoint), expected)) {
        // Written at exactly `expected + 1`: the next read starts after it.
        this.add(checkpoint);
        this.next += 1n;
        return 'stored';
      }
      await this.readNew();
      const theirs = this.bySize.get(checkpoint.size);
      return theirs ? this.adopt(checkpoint, theirs) : 'superseded';
    });
  }

  latest(): SignedCheckpoint | null {
    return this.sorted[this.sorted.length - 1] ?? null;
  }

  at(size: number): SignedCheckpoint | null {
    return this.bySize.get(size) ?? null;
  }

  all(): SignedCheckpoint[] {
    return [...this.sorted];
  }

  close(): Promise<void> {
    return this.exclusive(() => this.stream.close());
  }

  /** Runs one read or write of the stream at a time, so what is known moves forward in order. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const records = await this.stream.read(this.next, this.pageSize);
      for (const record of records) {
        this.accept(record);
        this.next = record.revision + 1n;
      }
      if (records.length < this.pageSize) return;
    }
  }

  /** Takes one record into what is known, unless it cannot be trusted (then the problem is kept). */
  private accept(record: StreamRecord): void {
    if (record.type !== CHECKPOINT_SIGNED) return;
    const data = record.data as Partial<{ note: unknown; signedAt: unknown }> | null;
    const where = `revision ${record.revision} of the checkpoint stream`;
    if (typeof data?.note !== 'string' || typeof data.signedAt !== 'string') {
      this.report(`${where} is not a signed checkpoint`);
      return;
    }
    let opened;
    try {
      opened = openCheckpoint(data.note, this.verifier, this.origin).checkpoint;
    } catch (e) {
      this.report(
        `${where} is not signed by this instance's key for ${this.origin} (${(e as Error).message}); ` +
          'every instance must have the same AUDIT_SIGNING_KEY and AUDIT_ORIGIN',
      );
      return;
    }
    const checkpoint: SignedCheckpoint = {
      size: opened.size,
      rootHash: Buffer.from(opened.rootHash),
      note: data.note,
      signedAt: data.signedAt,
    };
    const known = this.bySize.get(checkpoint.size);
    // A second record of one size and root (written without an expected revision) adds nothing.
    if (!known) this.add(checkpoint);
    else if (!known.rootHash.equals(checkpoint.rootHash)) this.report(differ(known, checkpoint));
  }

  private adopt(mine: SignedCheckpoint, theirs: SignedCheckpoint): PublishOutcome {
    if (theirs.rootHash.equals(mine.rootHash)) return 'adopted';
    const message = differ(theirs, mine);
    this.report(message);
    throw new CheckpointConflict(message);
  }

  private add(checkpoint: SignedCheckpoint): void {
    this.bySize.set(checkpoint.size, checkpoint);
    const last = this.latest();
    if (!last || last.size < checkpoint.size) this.sorted.push(checkpoint);
    else this.sorted = [...this.bySize.values()].sort((a, b) => a.size - b.size);
  }

  private report(problem: string): void {
    this.firstProblem ??= problem;
  }
}

function toData(c: SignedCheckpoint) {
  return { size: c.size, rootHash: c.rootHash.toString('base64'), note: c.note, signedAt: c.signedAt };
}

function differ(stored: SignedCheckpoint, other: SignedCheckpoint): string {
  return (
    `the logs differ: the checkpoint stream holds root ${stored.rootHash.toString('base64')} at size ${stored.size}, ` +
    `but another signer has root ${other.rootHash.toString('base64')} there`
  );
}
