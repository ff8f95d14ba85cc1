import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { LiveController } from './live.controller';
import { LiveHub } from './live-hub';

/** Live feeds over Server-Sent Events, resumable by log position. */
@Module({
  imports: [HealthModule],
  controllers: [LiveController],
  providers: [LiveHub],
  exports: [LiveHub],
})
export class LiveModule {}
