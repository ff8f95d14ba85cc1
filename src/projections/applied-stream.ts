import { Logger } from '@nestjs/common';
import type { LogEvent } from '../chronology/events';
import { comparePositions, type Position } from '../event-store';
import type { ProjectedEvent } from './projection';

export interface AppliedBatch<E extends ProjectedEvent = LogEvent> {
  /** The events, decoded (see ProjectionRunner). */
  readonly events: readonly E[];
  /** Ordinal of the first event of the batch. */
  readonly firstSeq: number;
}

/**
 * What the read models have applied, as one stream: the projection runner publishes each batch
 * once it is committed (rows and checkpoints), and everyone else listens. Listeners are called
 * synchronously, in the order they subscribed, with nothing published in between, so a listener
 * that compares `appliedSeq` with its own cursor sees exactly the batches after it. A listener
 * with slow work to do (signing, I/O) defers it, so that it delays no other listener.
 */
export class AppliedStream<E extends ProjectedEvent = LogEvent> {
  private readonly logger = new Logger('Projections');
  private readonly listeners = new Set<(batch: AppliedBatch<E>) => void>();
  private waiters = new Set<() => void>();
  private seq = 0;
  private at: Position | null = null;
  private ended = false;

  /** Ordinal of the last event published (live feeds switch from catching up at it). */
  get appliedSeq(): number {
    return this.seq;
  }

  /** Position of the last event published: every read model has applied it. */
  get position(): Position | null {
    return this.at;
  }

  /**
   * Where the runner starts (or resumes after a failure): the read models' common checkpoint.
   * Nothing is published for it; waiters whose position it reaches are released.
   */
  resumeAt(position: Position | null, seq: number): void {
    this.at = position;
    this.seq = seq;
    this.wake();
  }

  /** Called by the runner after each committed batch. A listener that throws is logged and skipped. */
  publish(batch: AppliedBatch<E>): void {
    const last = batch.events[batch.events.length - 1];
    if (!last) return;
    this.seq = batch.firstSeq + batch.events.length - 1;
    this.at = last.position;
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch (e) {
        this.logger.error(`a listener of applied batches failed: ${(e as Error).message}`);
      }
    }
    this.wake();
  }

  /** The runner stopped: waiters are answered with what was reached. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  subscribe(listener: (batch: AppliedBatch<E>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves true once `position` is applied, false after `timeoutMs` or when the runner stops. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    const reached = (): boolean => this.at !== null && comparePositions(this.at, position) >= 0;
    if (reached() || this.ended) return Promise.resolve(reached());
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(reached());
      };
      const check = (): void => {
        if (reached() || this.ended) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(check);
    });
  }

  private wake(): void {
    if (this.waiters.size === 0) return;
    for (const check of [...this.waiters]) check();
  }
}
