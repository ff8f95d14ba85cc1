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
import { CheckpointSigner } from './checkpoint-signer';
import type { CheckpointStore, SignedCheckpoint } from './checkpoint-store';
import {
  formatVerifierKey,
  openCheckpoint,
  verifierKeyOf,
  type SigningKey,
  type VerifierKey,
} from './checkpoint';
import { consistencyProof, inclusionProof } from './merkle';
import { FileCheckpointStore } from './file-checkpoint-store';
import { openCheckpointStore } from './open-checkpoint-store';

/**
 * The audit tree's public face: signs checkpoints every N events or T seconds (never one that is
 * inconsistent with an earlier one) into the deployment's checkpoint store, and answers for proofs
 * against them. On EventStoreDB every instance serves the one set kept in the store.
 */
@Injectable()
export class AuditService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private treeTables: AuditTreeTables | null = null;
  private readonly checkpoints: CheckpointStore;
  private readonly signer: CheckpointSigner;
  private readonly key: SigningKey;
  readonly verifierKey: VerifierKey;
  private timer: NodeJS.Timeout | null = null;
  private signPending: NodeJS.Immediate | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Set when the checkpoint history does not cover the log (see checkHistory): signing stops. */
  private historyMissing: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly applied: AppliedStream,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.key = loadSigningKey(config.audit, this.logger);
    this.verifierKey = verifierKeyOf(this.key);
    this.checkpoints = openCheckpointStore(config, this.verifierKey);
    this.signer = new CheckpointSigner(
      this.checkpoints,
      this.key,
      () => this.tree,
      config.audit,
      clock,
      this.logger,
    );
  }

  /**
   * Before anything is appended at start (the sample is loaded at bootstrap): the log's head now.
   * Only on the embedded store, whose checkpoint file lives in the same data dir as the log, so a
   * file missing beside a non-empty log means a lost history. On a server store the checkpoints
   * live in the store itself; they are read in the background, since the server may be away.
   */
  async onModuleInit(): Promise<void> {
    void this.checkpoints
      .open()
      .catch((e: unknown) =>
        this.logger.warn(`could not read the signed checkpoints yet: ${(e as Error).message}`),
      );
    if (this.store.driver !== 'sqlite' || !(this.checkpoints instanceof FileCheckpointStore)) return;
    const head = await this.store.headPosition();
    this.historyMissing = checkHistory(
      this.checkpoints.log,
      head ? formatPosition(head) : null,
      this.config.audit.acceptMissingHistory,
      this.clock.now().toISOString(),
      this.logger,
    );
    if (this.historyMissing) this.logger.error(this.historyMissing);
  }

  onApplicationBootstrap(): void {
    // Signing (a root, a signature, a write) waits for the next turn, so that no other listener
    // of the batch (the live fan-out above all) waits for it; batches in between coalesce.
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

  /** From a timer or a deferred turn: a failure (a full disk, a store away) is logged; the next turn tries again. */
  private signSafely(due: boolean): void {
    void this.sign(due).catch((e: unknown) =>
      this.logger.warn(`could not sign a checkpoint: ${(e as Error).message}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.signPending) clearImmediate(this.signPending);
    await this.checkpoints.close();
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
    return this.historyMissing ?? this.signer.problem;
  }

  /** Something to look at that does not stop signing: stored checkpoints this key did not sign. */
  get warning(): string | null {
    return this.checkpoints.warning;
  }

  get isHistoryMissing(): boolean {
    return this.historyMissing !== null;
  }

  /** Signs a checkpoint for the current tree when enough has been added (or `due` and anything has). */
  sign(due: boolean): Promise<void> {
    return this.historyMissing ? Promise.resolve() : this.signer.sign(due);
  }

  /**
   * The latest checkpoint this instance can give proofs for, signed first if newer events exist.
   * A failure to sign is logged and the latest known one served.
   */
  async latest(): Promise<SignedCheckpoint> {
    await this.sign(true).catch((e: unknown) =>
      this.logger.warn(`could not sign a checkpoint: ${(e as Error).message}`),
    );
    const latest = this.provable();
    if (!latest) {
      throw new AppError('not_found', this.historyMissing ?? 'no checkpoint yet: the log is empty');
    }
    return latest;
  }

  /** A signed checkpoint of exactly `size` (looked for again in the store when not known), or the latest. */
  async checkpointAt(size: number | undefined): Promise<SignedCheckpoint> {
    if (size === undefined) return this.latest();
    let c = this.checkpoints.at(size);
    if (!c) {
      await this.refreshed();
      c = this.checkpoints.at(size);
    }
    if (!c) throw new AppError('not_found', `no checkpoint was signed at size ${size}`);
    return c;
  }

  /** Every signed checkpoint, oldest first: on EventStoreDB, the deployment's set as stored now. */
  async allCheckpoints(): Promise<SignedCheckpoint[]> {
    await this.refreshed();
    return this.checkpoints.all();
  }

  /** Like checkpointAt, for an answer that needs the tree up to it (proofs, the export). */
  async provableAt(size: number | undefined): Promise<SignedCheckpoint> {
    const c = await this.checkpointAt(size);
    if (this.checkpoints.kind === 'stream' && c.size > this.tree.size) {
      throw new AppError(
        'not_caught_up',
        `this instance's audit tree has ${this.tree.size} leaves, fewer than the checkpoint of size ${c.size} covers`,
        {},
        { 'retry-after': '1' },
      );
    }
    return c;
  }

  /** The latest known checkpoint; on a shared stream, the latest within this instance's tree. */
  private provable(): SignedCheckpoint | null {
    const latest = this.checkpoints.latest();
    const size = this.tree.size;
    if (!latest || this.checkpoints.kind === 'file' || latest.size <= size) return latest;
    return this.checkpoints.all().findLast((c) => c.size <= size) ?? null;
  }

  private async refreshed(): Promise<void> {
    try {
      await this.checkpoints.refresh();
    } catch (e) {
      throw new AppError(
        'store_unavailable',
        `the signed checkpoints cannot be read from the store: ${(e as Error).message}`,
        {},
        { 'retry-after': '1' },
      );
    }
  }

  async inclusion(eventId: string, treeSize: number | undefined) {
    // Ids are the same in any case: stored in lower case, or as sent before that was the rule.
    const leaf =
      this.tree.leafOf(eventId) ??
      this.tree.leafOf(eventId.toLowerCase()) ??
      this.tree.leafOf(eventId.toUpperCase());
    if (!leaf) throw new AppError('not_found', `event ${eventId} is not in the audit log (yet)`);
    const checkpoint = await this.provableAt(treeSize);
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

  async consistency(from: number, to: number | undefined) {
    const newer = await this.provableAt(to);
    const older = await this.checkpointAt(from);
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

  /**
   * The signed roots, each signature checked again with the public key. On a shared stream, only
   * those within `treeSize` (default: the tree now): others may have signed beyond this instance's
   * tree, which is not a truncated log.
   */
  trustedRoots(treeSize = this.tree.size): Array<{ size: number; rootHash: Buffer }> {
    const all = this.checkpoints.all();
    const known = this.checkpoints.kind === 'stream' ? all.filter((c) => c.size <= treeSize) : all;
    return known.map((c) => {
      const opened = openCheckpoint(c.note, this.verifierKey, this.config.audit.origin).checkpoint;
      return { size: opened.size, rootHash: Buffer.from(opened.rootHash) };
    });
  }

  /** Learns the checkpoints stored since the last read (other instances'); a failure is the caller's. */
  refreshCheckpoints(): Promise<void> {
    return this.checkpoints.refresh();
  }
}
