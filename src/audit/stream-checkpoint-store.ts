import { Logger } from '@nestjs/common';
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
 * Every note read is checked against the deployment's key and origin before it is served; a record
 * that does not verify (bad data, another key, another origin) is skipped and counted as a warning,
 * never served or adopted, so a stray or pre-rotation record cannot stop signing. Only two roots for
 * one size under this deployment's key are a problem.
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
  private skippedCount = 0;
  private firstSkipped: string | null = null;

  constructor(
    private readonly stream: CheckpointStream,
    private readonly verifier: VerifierKey,
    private readonly origin: string,
    /** Records read per call. */
    private readonly pageSize = 1000,
    private readonly logger: Pick<Logger, 'warn'> = new Logger('Audit'),
  ) {}

  /** Set once the stream holds two roots for one size under this deployment's key: the logs differ. */
  get problem(): string | null {
    return this.firstProblem;
  }

  /** How many records of the stream were skipped because they do not verify under this deployment's key. */
  get skipped(): number {
    return this.skippedCount;
  }

  /** The skipped records, for a health check's detail (a warning: signing goes on); null if none. */
  get warning(): string | null {
    if (!this.firstSkipped) return null;
    return `${this.skippedCount} record(s) of the checkpoint stream are not served (first: ${this.firstSkipped})`;
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
      const appended = await this.stream.append(CHECKPOINT_SIGNED, toData(checkpoint), expected);
      if (appended.written) {
        // Written at exactly `expected + 1`: the next read starts after it.
        this.add(checkpoint);
        this.next += 1n;
        return 'stored';
      }
      await this.readNew();
      const theirs = this.bySize.get(checkpoint.size);
      if (theirs) return this.adopt(checkpoint, theirs);
      this.skipTruncated(appended.actual);
      return 'superseded';
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

  /**
   * A refused append named a last revision that the read after it did not reach: the records up to
   * it existed when the append was refused and could not be read afterwards, so they are gone
   * (truncated by $tb or $maxCount, then scavenged). Without this, every append would expect a
   * revision the stream has left behind and be refused for good.
   */
  private skipTruncated(actual: bigint | null | undefined): void {
    if (typeof actual !== 'bigint' || actual < this.next) return;
    this.logger.warn(
      `the checkpoint stream's records ${this.next} to ${actual} cannot be read (truncated or scavenged); ` +
        `appending after revision ${actual}`,
    );
    this.next = actual + 1n;
  }

  /**
   * Takes one record into what is known. One that does not verify under this deployment's key and
   * origin is skipped (logged once: each record is read once); two roots for one size are a problem.
   */
  private accept(record: StreamRecord): void {
    if (record.type !== CHECKPOINT_SIGNED) return;
    const data = record.data as Partial<{ note: unknown; signedAt: unknown }> | null;
    const where = `revision ${record.revision} of the checkpoint stream`;
    if (typeof data?.note !== 'string' || typeof data.signedAt !== 'string') {
      this.skip(`${where} is not a signed checkpoint`);
      return;
    }
    let opened;
    try {
      opened = openCheckpoint(data.note, this.verifier, this.origin).checkpoint;
    } catch (e) {
      this.skip(
        `${where} is not signed by this instance's key for ${this.origin} (${(e as Error).message}); ` +
          'every instance must have the same AUDIT_SIGNING_KEY and AUDIT_ORIGIN (after a key rotation, ' +
          'checkpoints signed under the old key are no longer served)',
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
    // A second record of one size and root adds nothing (every append expects an exact revision,
    // so this takes a record written by something other than this service).
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

  private skip(reason: string): void {
    this.skippedCount += 1;
    this.firstSkipped ??= reason;
    this.logger.warn(`skipped: ${reason}`);
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
