import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditWatch } from './audit-watch';

/** The tamper-evident log: the tree is a projection (audit.projection.ts); this module signs and serves it. */
@Module({
  imports: [HealthModule],
  controllers: [AuditController],
  providers: [AuditService, AuditWatch],
  exports: [AuditService],
})
export class AuditModule {}
