import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config';
import { EVENT_STORE, type EventStore } from '../event-store';
import { openSqlite } from '../shared/sqlite';
import { AppliedStream } from './applied-stream';
import { READ_DB, type Projection, type ReadDb } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ProjectionsAdminController } from './projections-admin.controller';
import { ReadConsistency } from './read-consistency';
import { ReadConsistencyInterceptor } from './read-consistency.interceptor';
import { ActorsController } from './actors/actors.controller';
import { ActorsQueries } from './actors/actors.queries';
import { SourcesController } from './sources/sources.controller';
import { SourcesQueries } from './sources/sources.queries';
import { TimelineController } from './timeline/timeline.controller';
import { TimelineQueries } from './timeline/timeline.queries';
import { RegistryQueries } from './registry.queries';
import { ScopeResolver } from './scope';

@Injectable()
class ProjectionsLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_DB) private readonly db: ReadDb,
  ) {}
  onApplicationBootstrap(): void {
    this.runner.start();
  }
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
  onApplicationShutdown(): void {
    if (this.db.open) this.db.close();
  }
}

/** The read side: the read-model database, the runner feeding it, and read-your-writes. */
@Module({})
export class ProjectionsModule {
  static forRoot(projections: readonly Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      controllers: [TimelineController, ActorsController, SourcesController, ProjectionsAdminController],
      providers: [
        TimelineQueries,
        ActorsQueries,
        RegistryQueries,
        ScopeResolver,
        SourcesQueries,
        {
          provide: READ_DB,
          inject: [APP_CONFIG],
          // Read models are rebuildable from the log, so NORMAL durability is enough here.
          useFactory: (config: AppConfig) =>
            openSqlite(config.readDbFile, { synchronous: 'NORMAL', checkpoints: 'background' }),
        },
        { provide: AppliedStream, useValue: new AppliedStream() },
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, READ_DB, AppliedStream],
          useFactory: (store: EventStore, db: ReadDb, applied: AppliedStream) =>
            new ProjectionRunner(store, db, projections, {}, applied),
        },
        ReadConsistency,
        ProjectionsLifecycle,
        { provide: APP_INTERCEPTOR, useClass: ReadConsistencyInterceptor },
      ],
      exports: [READ_DB, ProjectionRunner, AppliedStream, ReadConsistency, TimelineQueries, ScopeResolver],
    };
  }
}
