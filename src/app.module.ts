import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { accessProjection } from './access/access.projection';
import { AccessModule } from './access/access.module';
import { AuditModule } from './audit/audit.module';
import { auditProjection } from './audit/audit.projection';
import { ChronologyModule } from './chronology/chronology.module';
import { ConfigModule, type AppConfig } from './config';
import { EventStoreModule } from './event-store';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { WebModule } from './web/web.module';
import { actorsProjection } from './projections/actors/actors.projection';
import { logProjection } from './projections/log/log.projection';
import { ProjectionsModule } from './projections/projections.module';
import { sourcesProjection } from './projections/sources/sources.projection';
import { measuresProjection } from './projections/measures/measures.projection';
import { timelineProjection } from './projections/timeline/timeline.projection';
import type { Clock } from './shared/clock';
import type { DataDirLock } from './shared/data-dir-lock';
import { ProblemDetailsFilter } from './http/problem-details.filter';

/** Releases the data dir's lock once the application has closed every file in it. */
class DataDirHolder implements OnApplicationShutdown {
  constructor(private readonly lock: DataDirLock) {}
  onApplicationShutdown(): void {
    this.lock.release();
  }
}

/**
 * Global, so that its shutdown hook runs after those of the modules that hold files (Nest runs
 * shutdown hooks by module distance: global modules last, the first one imported last of all).
 */
@Module({})
class DataDirModule {
  static forRoot(lock: DataDirLock): DynamicModule {
    return {
      module: DataDirModule,
      global: true,
      providers: [{ provide: DataDirHolder, useValue: new DataDirHolder(lock) }],
    };
  }
}

/** Composition root: which modules, which projections, which adapter (chosen by config). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, lock: DataDirLock, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DataDirModule.forRoot(lock),
        ConfigModule.forRoot(config, clock),
        EventStoreModule.forRoot(config.eventStore),
        ProjectionsModule.forRoot([
          logProjection,
          timelineProjection,
          actorsProjection,
          sourcesProjection,
          measuresProjection,
          accessProjection,
          auditProjection,
        ]),
        AccessModule,
        AuditModule,
        ChronologyModule,
        HealthModule,
        LiveModule,
        WebModule,
        ExportsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
