import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config';
import { isKeyEventType, keyStream } from '../auth/access.model';
import { EVENT_STORE, type EventStore } from '../event-store';
import { notReady } from '../projections/caught-up.guard';
import { READ_DB, type ReadDb } from '../projections/projection';
import { ProjectionRunner } from '../projections/projection-runner';
import { AccessController } from './access.controller';
import { AccessGuard } from '../auth/access.guard';
import { AccessReader, type KeyRecord } from './access.projection';
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
        find: rememberedKeys(runner, (key) => keys.find(digest.of(key), KeyDigest.legacy(key))),
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

const MAX_REMEMBERED_KEYS = 1024;

/**
 * The guard looks a key up on every request: its HMAC and a query. What a key resolves to changes
 * only when the keys projection applies an event, so answers are remembered until the runner
 * publishes a batch holding one (synchronously after its commit, before any request runs).
 */
function rememberedKeys(
  runner: ProjectionRunner,
  find: (key: string) => KeyRecord | null,
): (key: string) => KeyRecord | null {
  const remembered = new Map<string, KeyRecord | null>();
  runner.applied.subscribe(({ events }) => {
    if (events.some((e) => isKeyEventType(e.type))) remembered.clear();
  });
  return (key) => {
    const known = remembered.get(key);
    if (known !== undefined) return known;
    const found = find(key);
    if (remembered.size >= MAX_REMEMBERED_KEYS) remembered.clear();
    remembered.set(key, found);
    return found;
  };
}
