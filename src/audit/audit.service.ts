import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config';
import { EVENT_STORE, formatPosition, type EventStore } from '../event-store';
import { CLOCK, type Clock } from '../shared/clock';
import { READ_DB, type ReadDb } from '../projections/projection';
import { AppliedStream } from '../projections/applied-stream';
import { AppError } from '../shared/errors';
import { loadSigningKey } from './audit-keys';
import type { AuditTreeTables } from './audit.projection';
import { openAuditTree } from './audit-tree';
import { checkHistory } from './checkpoint-history';
import { CheckpointLog, type SignedCheckpoint } from './checkpoint-log';
import {
  formatVerifierKey,
  openCheckpoint,
  signCheckpoint,
  verifierKeyOf,
  type SigningKey,
  type VerifierKey,
} from './checkpoint';
import { consistencyProof, inclusionProof, rootAt } from './merkle';

/**
 * The audit tree's public face: signs checkpoints every N events or T seconds (never one that is
 * inconsistent with an earlier one), and answers for proofs against them.
 */
@Injectable()
export class AuditService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private treeTables: AuditTreeTables | null = null;
  readonly checkpoints: CheckpointLog;
  private readonly key: SigningKey;
  readonly verifierKey: VerifierKey;
  private timer: NodeJS.Timeout | null = null;
  private signPending: NodeJS.Immediate | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Set when the tree no longer matches a checkpoint this instance signed: signing stops. */
  private inconsistent: string | null = null;
  /** Set when the checkpoint history does not cover the log (see checkHistory): signing stops. */
  private historyMissing: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly applied: AppliedStream,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.checkpoints = new CheckpointLog(config.audit.checkpointsFile);
    this.key = loadSigningKey(config.audit, this.logger);
    this.verifierKey = verifierKeyOf(this.key);
  }

  /**
   * Before anything is appended at start (the sample is loaded at bootstrap): the log's head now.
   * Only on the embedded store, whose checkpoint file lives in the same data dir as the log, so a
   * file missing beside a non-empty log means a lost history. On a server store each instance keeps
   * its own file and a new instance joins a log that already has events: that is not a loss.
   */
  async onModuleInit(): Promise<void> {
    if (this.store.driver !== 'sqlite') return;
    const head = await this.store.headPosition();
    this.historyMissing = checkHistory(
      this.checkpoints,
      head ? formatPosition(head) : null,
      this.config.audit.acceptMissingHistory,
      this.clock.now().toISOString(),
      this.logger,
    );
    if (this.historyMissing) this.logger.error(this.historyMissing);
  }

  onApplicationBootstrap(): void {
    // Signing (a root, a signature, a synced write) waits for the next turn, so that no other
    // listener of the batch (the live fan-out above all) waits for it; batches in between coalesce.
    this.unsubscribe = this.applied.subscribe(() => {
      if (this.signPending) return;
      this.signPending = setImmediate(() => {
        this.signPending = null;
        this.signSafely(false);
      });
    });
    this.timer = setInterval(() => this.signSafely(true), this.config.audit.checkpointIntervalMs);
    this.timer.unref();
  }

  /** From a timer or a deferred turn: a failure (e.g. a full disk) is logged; the next turn tries again. */
  private signSafely(due: boolean): void {
    try {
      this.maybeSign(due);
    } catch (e) {
      this.logger.warn(`could not sign a checkpoint: ${(e as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.signPending) clearImmediate(this.signPending);
    this.checkpoints.close();
  }

  /** The tree, read synchronously (see openAuditTree); opened on first use, after bootstrap. */
  get tree(): AuditTreeTables {
    this.treeTables ??= openAuditTree(this.db);
    return this.treeTables;
  }

  get publicKey(): string {
    return formatVerifierKey(this.verifierKey);
  }

  /** Why signing stopped: the history is missing, or the tree no longer matches a signed root. */
  get problem(): string | null {
    return this.historyMissing ?? this.inconsistent;
  }

  get isHistoryMissing(): boolean {
    return this.historyMissing !== null;
  }

  latest(): SignedCheckpoint {
    this.maybeSign(true);
    const latest = this.checkpoints.latest();
    if (!latest) {
      throw new AppError('not_found', this.historyMissing ?? 'no checkpoint yet: the log is empty');
    }
    return latest;
  }

  /** Signs a checkpoint for the current tree when enough has been added (or `due` and anything has). */
  maybeSign(due: boolean): void {
    if (this.problem) return;
    const size = this.tree.size;
    const last = this.checkpoints.latest();
    if (size === 0 || (last && size <= last.size)) return;
    if (last && !due) {
      const elapsed = this.clock.now().getTime() - Date.parse(last.signedAt);
      if (
        size - last.size < this.config.audit.checkpointEvery &&
        elapsed < this.config.audit.checkpointIntervalMs
      )
        return;
    }
    if (last && !rootAt(this.tree, last.size).equals(last.rootHash)) {
      this.inconsistent = `the audit tree no longer matches the checkpoint signed at size ${last.size}; no further checkpoint will be signed`;
      this.logger.error(this.inconsistent);
      return;
    }
    const rootHash = rootAt(this.tree, size);
    const note = signCheckpoint({ origin: this.config.audit.origin, size, rootHash }, this.key);
    this.checkpoints.add({ size, rootHash, note, signedAt: this.clock.now().toISOString() });
  }

  /** A signed checkpoint of exactly `size`, or the latest when omitted. */
  checkpointAt(size: number | undefined): SignedCheckpoint {
    if (size === undefined) return this.latest();
    const c = this.checkpoints.at(size);
    if (!c) throw new AppError('not_found', `no checkpoint was signed at size ${size}`);
    return c;
  }

  inclusion(eventId: string, treeSize: number | undefined) {
    // Ids are the same in any case: stored in lower case, or as sent before that was the rule.
    const leaf =
      this.tree.leafOf(eventId) ??
      this.tree.leafOf(eventId.toLowerCase()) ??
      this.tree.leafOf(eventId.toUpperCase());
    if (!leaf) throw new AppError('not_found', `event ${eventId} is not in the audit log (yet)`);
    const checkpoint = this.checkpointAt(treeSize);
    if (leaf.index >= checkpoint.size && treeSize !== undefined) {
      // A retry cannot help: that checkpoint will never hold the event.
      throw AppError.validation([
        {
          path: 'treeSize',
          message: `the checkpoint of size ${checkpoint.size} does not hold event ${eventId} (leaf ${leaf.index}); ask for one larger than ${leaf.index}, or the latest`,
        },
      ]);
    }
    if (leaf.index >= checkpoint.size) {
      throw new AppError(
        'not_caught_up',
        `event ${eventId} is newer than the checkpoint (size ${checkpoint.size})`,
        {},
        { 'retry-after': '1' },
      );
    }
    return {
      eventId,
      leafIndex: leaf.index,
      position: leaf.position,
      leafHash: leaf.hash.toString('base64'),
      treeSize: checkpoint.size,
      rootHash: checkpoint.rootHash.toString('base64'),
      proof: inclusionProof(this.tree, leaf.index, checkpoint.size).map((h) => h.toString('base64')),
      checkpoint: checkpoint.note,
    };
  }

  consistency(from: number, to: number | undefined) {
    const newer = this.checkpointAt(to);
    const older = this.checkpointAt(from);
    if (older.size > newer.size)
      throw AppError.validation([{ path: 'from', message: 'from must not exceed to' }]);
    return {
      from: older.size,
      to: newer.size,
      fromRoot: older.rootHash.toString('base64'),
      toRoot: newer.rootHash.toString('base64'),
      proof: consistencyProof(this.tree, older.size, newer.size).map((h) => h.toString('base64')),
      fromCheckpoint: older.note,
      toCheckpoint: newer.note,
    };
  }

  /** Roots this instance signed, each signature checked again with its own public key. */
  trustedRoots(): Array<{ size: number; rootHash: Buffer }> {
    return this.checkpoints.all().map((c) => {
      const opened = openCheckpoint(c.note, this.verifierKey, this.config.audit.origin).checkpoint;
      return { size: opened.size, rootHash: Buffer.from(opened.rootHash) };
    });
  }
}
