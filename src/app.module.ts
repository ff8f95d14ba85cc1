import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { accessProjection } from './access/access.projection';
import { AccessModule } from './access/access.module';
import { AuditModule } from './audit/audit.module';
import { auditProjection } from './audit/audit.projection';
import { ChronologyModule } from './chronology/chronology.module';
import { ConfigModule, type AppConfig } from './config';
import { EventStoreModule } from './event-store';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { actorsProjection } from './projections/actors/actors.projection';
import { logProjection } from './projections/log/log.projection';
import { ProjectionsModule } from './projections/projections.module';
import { sourcesProjection } from './projections/sources/sources.projection';
import { timelineProjection } from './projections/timeline/timeline.projection';
import type { Clock } from './shared/clock';
import { ProblemDetailsFilter } from './shared/problem-details.filter';

/** Composition root: which modules, which projections, which adapter (chosen by config). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        EventStoreModule.forRoot(config.eventStore),
        ProjectionsModule.forRoot([
          logProjection,
          timelineProjection,
          actorsProjection,
          sourcesProjection,
          accessProjection,
          auditProjection,
        ]),
        AccessModule,
        AuditModule,
        ChronologyModule,
        HealthModule,
        LiveModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
