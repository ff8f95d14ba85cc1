import type { Logger } from '@nestjs/common';
import type { AuditConfig } from '../config';
import type { Clock } from '../shared/clock';
import { signCheckpoint, type SigningKey } from './checkpoint';
import { CheckpointConflict, type CheckpointStore, type SignedCheckpoint } from './checkpoint-store';
import { rootAt, type NodeReader } from './merkle';

/** Attempts of one signing when other instances keep storing checkpoints first. */
const ATTEMPTS = 3;

/**
 * Signs checkpoints of the tree into a CheckpointStore, one signing at a time: every
 * `checkpointEvery` events or `checkpointIntervalMs` (or whenever asked, `due`), never one that is
 * inconsistent with a checkpoint already known. Checkpoints stored by other instances (adopted)
 * are compared with this instance's tree once it has grown to their size.
 */
export class CheckpointSigner {
  private queue: Promise<void> = Promise.resolve();
  /** Known checkpoints up to this size have been compared with this instance's tree. */
  private checkedThrough: number;
  /** Set when the tree no longer matches a known checkpoint: signing stops. */
  private stopped: string | null = null;
  /**
   * Set when every attempt of the last signing was refused with nothing new to learn; cleared once
   * a checkpoint is stored or adopted (or others are seen signing). Signing is retried meanwhile.
   */
  private stalled: string | null = null;

  constructor(
    private readonly store: CheckpointStore,
    private readonly key: SigningKey,
    private readonly tree: () => NodeReader & { readonly size: number },
    private readonly config: AuditConfig,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'error'>,
  ) {
    // What is known at start is checked by the audit watch once the read models have caught up.
    this.checkedThrough = store.latest()?.size ?? 0;
  }

  /** Why signing stopped, or why the last signing failed, if it did. */
  get problem(): string | null {
    return this.halted ?? this.stalled;
  }

  /** Why signing stopped for good, if it did: the tree or the store holds another root for a size. */
  private get halted(): string | null {
    return this.stopped ?? this.store.problem;
  }

  /** Signs when enough was added since the latest known checkpoint (or `due` and anything was). */
  sign(due: boolean): Promise<void> {
    const run = this.queue.then(() => this.signOnce(due));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async signOnce(due: boolean): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const size = this.tree().size;
      if (this.halted || !this.wanted(size, due)) return;
      // Others may have signed meanwhile (a no-op for the embedded file).
      await this.store.refresh();
      if (!this.wanted(size, due)) {
        this.stalled = null;
        return;
      }
      if (!this.consistent()) return;
      const rootHash = rootAt(this.tree(), size);
      const note = signCheckpoint({ origin: this.config.origin, size, rootHash }, this.key);
      const checkpoint = { size, rootHash, note, signedAt: this.clock.now().toISOString() };
      try {
        if ((await this.store.publish(checkpoint)) !== 'superseded') {
          this.checkedThrough = Math.max(this.checkedThrough, size);
          this.stalled = null;
          return;
        }
      } catch (e) {
        if (e instanceof CheckpointConflict) this.stop(e.message);
        throw e;
      }
    }
    this.stall(
      `signing a checkpoint was refused ${ATTEMPTS} times in a row (the checkpoint stream moved past ` +
        'what could be read from it); signing is retried at the next checkpoint',
    );
  }

  private stall(problem: string): void {
    if (!this.stalled) this.logger.error(problem);
    this.stalled = problem;
  }

  /** Whether a checkpoint of `size` should be signed now, from what is known. */
  private wanted(size: number, due: boolean): boolean {
    const last = this.store.latest();
    if (size === 0 || (last && size <= last.size)) return false;
    if (!last || due) return true;
    const elapsed = this.clock.now().getTime() - Date.parse(last.signedAt);
    return size - last.size >= this.config.checkpointEvery || elapsed >= this.config.checkpointIntervalMs;
  }

  /**
   * The tree must still build the root of the latest known checkpoint, and of every one it covers
   * that was not compared yet (those adopted from other instances); otherwise signing stops.
   * Called once `wanted` holds, so every known checkpoint is smaller than `size`.
   */
  private consistent(): boolean {
    const last = this.store.latest();
    if (!last) return true;
    const unchecked =
      last.size > this.checkedThrough ? this.store.all().filter((c) => c.size > this.checkedThrough) : [last];
    for (const c of unchecked) {
      if (!rootAt(this.tree(), c.size).equals(c.rootHash)) {
        this.stop(mismatch(c, this.store.kind));
        return false;
      }
      this.checkedThrough = Math.max(this.checkedThrough, c.size);
    }
    return true;
  }

  private stop(problem: string): void {
    if (this.stopped) return;
    this.stopped = problem;
    this.logger.error(problem);
  }
}

function mismatch(c: SignedCheckpoint, kind: CheckpointStore['kind']): string {
  return kind === 'file'
    ? `the audit tree no longer matches the checkpoint signed at size ${c.size}; no further checkpoint will be signed`
    : `the logs differ: this instance's audit tree does not build the root of the deployment's checkpoint at size ${c.size}; no further checkpoint will be signed`;
}
