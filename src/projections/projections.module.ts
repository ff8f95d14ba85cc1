import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../event-store';
import { openSqlite } from '../shared/sqlite';
import { decodeEvent, type LogEvent } from '../chronology/events';
import { AppliedStream } from './applied-stream';
import { READ_DB, READ_MODEL_CACHE_MB, type Projection, type ReadDb } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ProjectionsAdminController } from './projections-admin.controller';
import { ReadConsistency } from './read-consistency';
import { ReadConsistencyInterceptor } from './read-consistency.interceptor';
import { ActorsController } from './actors/actors.controller';
import { ActorsReader } from './actors/actors.reader';
import { LogReader } from './log/log.reader';
import { SourcesController } from './sources/sources.controller';
import { MeasuresController } from './measures/measures.controller';
import { SourcesReader } from './sources/sources.reader';
import { ActorInvolvementReader } from './timeline/actor-involvement.reader';
import { TimelineController } from './timeline/timeline.controller';
import { TimelineReader } from './timeline/timeline.reader';
import { ScopeResolver } from './scope';
import { ReadPool } from './read-pool/read-pool';
import {
  JSON_READERS,
  READERS,
  jsonReaders,
  type JsonReaders,
  type PooledReaders,
} from './read-pool/readers';

@Injectable()
class ProjectionsLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(ReadPool) private readonly pool: ReadPool | null,
  ) {}
  onApplicationBootstrap(): void {
    this.runner.start();
  }
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.pool?.stop();
    if (this.db.open) this.db.close();
  }
}

/** The decoder the runner feeds projections with; each unknown event type is logged once. */
function decodeLogged(): (event: RecordedEvent) => LogEvent {
  const logger = new Logger('Projections');
  const unknown = new Set<string>();
  return (event) =>
    decodeEvent(event, ({ type }) => {
      if (unknown.has(type)) return;
      unknown.add(type);
      logger.warn(
        `the log holds events of type ${type}, which this version does not know: only the log and audit projections record them`,
      );
    });
}

/**
 * The read side: the read-model database, the runner feeding it, read-your-writes, and the readers
 * of these projections, plain classes built here from the database. Besides the runner, only
 * readers are given the database (the access and audit modules build theirs from the export).
 */
@Module({})
export class ProjectionsModule {
  static forRoot(projections: readonly Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      controllers: [
        TimelineController,
        ActorsController,
        SourcesController,
        MeasuresController,
        ProjectionsAdminController,
      ],
      providers: [
        { provide: LogReader, inject: [READ_DB], useFactory: (db: ReadDb) => new LogReader(db) },
        { provide: SourcesReader, inject: [READ_DB], useFactory: (db: ReadDb) => new SourcesReader(db) },
        {
          provide: ActorInvolvementReader,
          inject: [READ_DB],
          useFactory: (db: ReadDb) => new ActorInvolvementReader(db),
        },
        {
          provide: ActorsReader,
          inject: [READ_DB, ActorInvolvementReader],
          useFactory: (db: ReadDb, involvement: ActorInvolvementReader) => new ActorsReader(db, involvement),
        },
        {
          provide: TimelineReader,
          inject: [READ_DB, ActorsReader, SourcesReader],
          useFactory: (db: ReadDb, actors: ActorsReader, sources: SourcesReader) =>
            new TimelineReader(db, actors, sources),
        },
        ScopeResolver,
        {
          provide: ReadPool,
          inject: [APP_CONFIG, READ_DB],
          // READ_DB first: it creates the file the workers open read-only.
          useFactory: (config: AppConfig) =>
            config.readWorkers > 0 ? new ReadPool(config.readDbFile, config.readWorkers) : null,
        },
        {
          provide: READERS,
          inject: [ReadPool, READ_DB],
          useFactory: (pool: ReadPool | null, db: ReadDb): PooledReaders =>
            pool ? pool.readers : ReadPool.inline(db),
        },
        {
          provide: JSON_READERS,
          inject: [ReadPool, READERS],
          useFactory: (pool: ReadPool | null, readers: PooledReaders): JsonReaders =>
            pool ? pool.json : jsonReaders(readers),
        },
        {
          provide: READ_DB,
          inject: [APP_CONFIG],
          // Read models are rebuildable from the log, so NORMAL durability is enough here.
          useFactory: (config: AppConfig) =>
            openSqlite(config.readDbFile, {
              synchronous: 'NORMAL',
              checkpoints: 'background',
              cacheMb: READ_MODEL_CACHE_MB,
            }),
        },
        { provide: AppliedStream, useValue: new AppliedStream() },
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, READ_DB, AppliedStream, READERS],
          useFactory: (store: EventStore, db: ReadDb, applied: AppliedStream, readers: PooledReaders) =>
            new ProjectionRunner(
              store,
              db,
              projections,
              { decode: decodeLogged(), digest: (name, tables) => readers.digests.digest(name, tables) },
              applied,
            ),
        },
        ReadConsistency,
        ProjectionsLifecycle,
        { provide: APP_INTERCEPTOR, useClass: ReadConsistencyInterceptor },
      ],
      exports: [
        READ_DB,
        ProjectionRunner,
        AppliedStream,
        ReadConsistency,
        READERS,
        LogReader,
        TimelineReader,
        ScopeResolver,
      ],
    };
  }
}
