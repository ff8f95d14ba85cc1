import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config';
import { keyStream } from '../auth/access.model';
import { EVENT_STORE, type EventStore } from '../event-store';
import { notReady } from '../projections/caught-up.guard';
import { READ_DB, type ReadDb } from '../projections/projection';
import { ProjectionRunner } from '../projections/projection-runner';
import { AccessController } from './access.controller';
import { AccessGuard } from '../auth/access.guard';
import { AccessReader } from './access.projection';
import { AccessService } from './access.service';
import { KEY_LOOKUP, type KeyLookup } from '../auth/key-lookup';
import { KeyDigest, loadKeyDigest } from './key-digest';

/**
 * API keys (roles reader, contributor, editor, auditor, admin) and the guard on every route: the
 * guard is the auth kernel's, fed by this module's keys projection through KEY_LOOKUP.
 */
@Module({
  controllers: [AccessController],
  providers: [
    AccessService,
    { provide: KeyDigest, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadKeyDigest(config) },
    { provide: AccessReader, inject: [READ_DB], useFactory: (db: ReadDb) => new AccessReader(db) },
    {
      provide: KEY_LOOKUP,
      inject: [AccessReader, KeyDigest, ProjectionRunner, EVENT_STORE],
      useFactory: (
        keys: AccessReader,
        digest: KeyDigest,
        runner: ProjectionRunner,
        store: EventStore,
      ): KeyLookup => ({
        find: (key) => keys.find(digest.of(key), KeyDigest.legacy(key)),
        incomplete: () =>
          runner.caughtUp ? null : notReady(runner, 'API keys are still being read from the log'),
        revokedOnLog: async (keyId) =>
          (await store.readStream(keyStream(keyId))).some((e) => e.type === 'ApiKeyRevoked'),
      }),
    },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
})
export class AccessModule {}
