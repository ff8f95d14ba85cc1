import { Module } from '@nestjs/common';
import { LiveController } from './live.controller';
import { LiveHub } from './live-hub';

/** Live feeds over Server-Sent Events, resumable by log position. */
@Module({ controllers: [LiveController], providers: [LiveHub], exports: [LiveHub] })
export class LiveModule {}
