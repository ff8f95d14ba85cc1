import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';

/**
 * Exports of the timeline as files (GET /v1/exports/{format}): the timeline reader's pages as of a
 * pinned position, written as NDJSON, CSV, ACLED-layout CSV, GeoJSON or TimelineJS3 JSON. The
 * readers, read consistency and scopes come from the (global) projections module.
 */
@Module({ controllers: [ExportsController] })
export class ExportsModule {}
