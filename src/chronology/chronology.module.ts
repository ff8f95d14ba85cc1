import { Module } from '@nestjs/common';
import { ID_GENERATOR, uuidV7Generator } from '../shared/ids';
import { ChronologyController } from './chronology.controller';
import { ChronologyService } from './chronology.service';
import { ReferenceChecker } from './reference-checker';
import { SampleLoader } from './sample/sample-loader';

/** The write side: the event catalogue, deciders and POST /v1/events. */
@Module({
  controllers: [ChronologyController],
  providers: [
    ChronologyService,
    ReferenceChecker,
    SampleLoader,
    { provide: ID_GENERATOR, useValue: uuidV7Generator },
  ],
  exports: [ChronologyService],
})
export class ChronologyModule {}
