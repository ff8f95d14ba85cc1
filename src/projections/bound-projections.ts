import { Logger } from '@nestjs/common';
import { comparePositions, type EventStore } from '../event-store';
import { AppError } from '../shared/errors';
import { CheckpointStore, type Checkpoint } from './checkpoint-store';
import { rebuildInShadow } from './projection-rebuild';
import {
  dropTables,
  handlesType,
  inBatch,
  tablesOf,
  type EventDecoder,
  type ProjectedEvent,
  type Projection,
  type ProjectionHandler,
  type ReadDb,
} from './projection';

interface Bound<E extends ProjectedEvent> {
  readonly projection: Projection<E>;
  apply: ProjectionHandler<E>;
  checkpoint: Checkpoint;
}

/**
 * The projections the runner feeds, bound to their tables in the read database, each with its
 * checkpoint: preparing them (rebuilding one whose version changed), applying a batch together
 * with every checkpoint in one transaction, digests and shadow rebuilds.
 */
export class BoundProjections<E extends ProjectedEvent> {
  private readonly logger = new Logger('Projections');
  private readonly checkpoints: CheckpointStore;
  private readonly bound: Array<Bound<E>> = [];
  private readonly rebuilding = new Set<string>();

  constructor(
    private readonly db: ReadDb,
    private readonly projections: ReadonlyArray<Projection<E>>,
    private readonly decode: EventDecoder<E>,
  ) {
    this.checkpoints = new CheckpointStore(db);
  }

  /** Creates every projection's tables, rebuilding from the log those whose version changed. */
  prepare(): void {
    for (const projection of this.projections) this.bound.push(this.prepareOne(projection));
  }

  get names(): string[] {
    return this.bound.map((b) => b.projection.name);
  }

  /** The checkpoint furthest behind: where following the log resumes. */
  lowest(): Checkpoint {
    let low: Checkpoint | null = null;
    for (const b of this.bound) {
      const c = b.checkpoint;
      if (
        !low ||
        c.position === null ||
        (low.position !== null && comparePositions(c.position, low.position) < 0)
      )
        low = c;
    }
    return low ?? { name: '', version: 0, position: null, seq: 0 };
  }

  /**
   * Applies `batch` (ordinals from `firstSeq`) to every projection that has not applied it yet and
   * advances every checkpoint, in one transaction: all of it or, if anything throws, none of it.
   */
  apply(batch: readonly E[], firstSeq: number): void {
    const advanced = this.bound.map((b) => ({ ...b.checkpoint }));
    inBatch(
      this.db,
      this.bound.map((b) => b.apply),
      () => {
        batch.forEach((event, i) => {
          const seq = firstSeq + i;
          this.bound.forEach((b, j) => {
            const cp = advanced[j]!;
            if (cp.position !== null && comparePositions(event.position, cp.position) <= 0) return;
            if (handlesType(b.projection, event.type)) b.apply(event, { seq });
            advanced[j] = { ...cp, position: event.position, seq };
          });
        });
        advanced.forEach((cp) => this.checkpoints.save(cp));
      },
    );
    this.bound.forEach((b, j) => (b.checkpoint = advanced[j]!));
  }

  /** The logical names of a projection's tables. */
  tablesOf(name: string): readonly string[] {
    return this.boundOf(name).projection.tables;
  }

  /** Throws unless `name` is a projection not being rebuilt now. */
  assertCanRebuild(name: string): void {
    this.boundOf(name);
    if (this.rebuilding.has(name)) throw new AppError('conflict', `${name} is already being rebuilt`);
  }

  /** See ProjectionRunner.rebuild; resolves with the number of events replayed. */
  async rebuild(name: string, store: EventStore): Promise<number> {
    this.assertCanRebuild(name);
    const b = this.boundOf(name);
    this.rebuilding.add(name);
    try {
      return await rebuildInShadow(store, this.db, {
        projection: b.projection,
        decode: this.decode,
        checkpoint: () => b.checkpoint,
        swap: (apply) => {
          b.apply = apply;
        },
      });
    } finally {
      this.rebuilding.delete(name);
    }
  }

  private boundOf(name: string): Bound<E> {
    const b = this.bound.find((x) => x.projection.name === name);
    if (!b) throw new RangeError(`no projection named ${name}`);
    return b;
  }

  private prepareOne(projection: Projection<E>): Bound<E> {
    const t = tablesOf(projection.name);
    let checkpoint = this.checkpoints.get(projection.name);
    if (checkpoint && checkpoint.version !== projection.version) {
      this.logger.log(
        `${projection.name}: version ${checkpoint.version} -> ${projection.version}, rebuilding from the log`,
      );
      this.db.transaction(() => {
        dropTables(this.db, projection, t);
        this.checkpoints.delete(projection.name);
      })();
      checkpoint = null;
    }
    this.db.exec(projection.schema(t));
    checkpoint ??= { name: projection.name, version: projection.version, position: null, seq: 0 };
    return { projection, apply: projection.bind(this.db, t), checkpoint };
  }
}
