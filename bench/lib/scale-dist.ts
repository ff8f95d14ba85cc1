import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The built service's own modules (dist/, from `npm run build`), loaded at run time: the bench is
 * compiled on its own (rootDir bench/), so it cannot import src/ directly. Only the few members the
 * scale benchmark calls are typed here.
 */
export interface StoreLike {
  append(
    stream: string,
    events: readonly NewEventLike[],
    options: { expectedRevision: 'any' | 'no_stream' | bigint },
  ): Promise<{ position: { commit: bigint } }>;
  readAll(options: {
    fromPosition?: { commit: bigint; prepare: bigint };
    maxCount?: number;
  }): Promise<Array<{ position: { commit: bigint }; metadata: { recordedAt: string } }>>;
  headPosition(): Promise<{ commit: bigint; prepare: bigint } | null>;
  close(): Promise<void>;
}

export interface NewEventLike {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: { principal: string; correlationId: string; causationId: string | null };
}

export interface RunnerLike {
  start(): void;
  stop(): Promise<void>;
  /** Where committed batches are published; waitFor resolves once `position` is applied. */
  readonly applied: {
    waitFor(position: { commit: bigint; prepare: bigint }, timeoutMs: number): Promise<boolean>;
  };
  rebuild(name: string): Promise<{ name: string; before: string; after: string; events: number }>;
  digest(name: string): Promise<string>;
  readonly names: string[];
}

export interface Dist {
  SqliteEventStore: new (options: { file: string; clock?: { now(): Date } }) => StoreLike;
  ProjectionRunner: new (
    store: StoreLike,
    db: unknown,
    projections: unknown[],
    options: { decode: (event: unknown) => unknown },
  ) => RunnerLike;
  /** The decoder the service's runner feeds projections with (src/chronology/events/decode.ts). */
  decodeEvent: (event: unknown) => unknown;
  openSqlite(file: string, options: { synchronous: 'FULL' | 'NORMAL' }): { close(): void; open: boolean };
  projections: unknown[];
  ChronologyService: new (
    store: unknown,
    ids: unknown,
    references: unknown,
  ) => {
    post(body: unknown, ifMatch: string | undefined, context: unknown): Promise<unknown>;
  };
  ReferenceChecker: new (store: unknown) => unknown;
  uuidV7Generator: { next(): string };
  principalOfKey(keyId: string, name: string, role: string): unknown;
}

/** Loads the modules the composition root (src/app.module.ts) wires, from `root`/dist. */
export function loadDist(root: string): Dist {
  const load = createRequire(join(root, 'dist', 'main.js'));
  const m = (path: string): any => load(join(root, 'dist', path));
  load('reflect-metadata');
  // The runner logs through Nest's logger; in the bench process only its warnings and errors show.
  load('@nestjs/common').Logger.overrideLogger(['error', 'warn']);
  return {
    SqliteEventStore: m('event-store/sqlite/sqlite-event-store.js').SqliteEventStore,
    ProjectionRunner: m('projections/projection-runner.js').ProjectionRunner,
    decodeEvent: m('chronology/events/decode.js').decodeEvent,
    openSqlite: m('shared/sqlite.js').openSqlite,
    // The same list, in the same order, as src/app.module.ts.
    projections: [
      m('projections/log/log.projection.js').logProjection,
      m('projections/timeline/timeline.projection.js').timelineProjection,
      m('projections/actors/actors.projection.js').actorsProjection,
      m('projections/sources/sources.projection.js').sourcesProjection,
      m('access/access.projection.js').accessProjection,
      m('audit/audit.projection.js').auditProjection,
    ],
    ChronologyService: m('chronology/chronology.service.js').ChronologyService,
    ReferenceChecker: m('chronology/reference-checker.js').ReferenceChecker,
    uuidV7Generator: m('shared/ids.js').uuidV7Generator,
    principalOfKey: m('auth/access.model.js').principalOfKey,
  };
}
