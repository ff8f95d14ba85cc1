import {
  Inject,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventStoreConfig } from '../config';
import { CLOCK, systemClock, type Clock } from '../shared/clock';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** A stream of an EventStoreDB store outside the port (the audit checkpoint stream), for index.ts. */
export { EventStoreDbStream } from './eventstoredb/eventstoredb-stream';

/** The only place that knows which adapter is in use. */
export function createEventStore(config: EventStoreConfig, clock: Clock = systemClock): Promise<EventStore> {
  switch (config.driver) {
    case 'sqlite':
      return Promise.resolve(new SqliteEventStore({ file: config.file, clock }));
    case 'eventstoredb':
      // The server need not be up: calls fail with EventStoreUnavailable and health() reports down
      // until it answers. recordedAt comes from the writers' stamps along $all (eventstoredb-recorded-at.ts).
      return Promise.resolve(
        new EventStoreDbEventStore({
          connectionString: config.connectionString,
          appendSessions: config.appendSessions,
        }),
      );
  }
}

export interface EventStoreModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: (...args: never[]) => EventStoreConfig | Promise<EventStoreConfig>;
}

class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
export class EventStoreModule {
  static forRoot(config: EventStoreConfig): DynamicModule {
    return EventStoreModule.forRootAsync({ useFactory: () => config });
  }

  static forRootAsync(options: EventStoreModuleAsyncOptions): DynamicModule {
    const store: FactoryProvider<Promise<EventStore>> = {
      provide: EVENT_STORE,
      inject: [...(options.inject ?? []), { token: CLOCK, optional: true }],
      useFactory: async (...args: unknown[]) => {
        const clock = (args.pop() as Clock | undefined) ?? systemClock;
        const config = await (options.useFactory as (...a: unknown[]) => Promise<EventStoreConfig>)(...args);
        return createEventStore(config, clock);
      },
    };
    return {
      module: EventStoreModule,
      global: true,
      imports: options.imports ?? [],
      providers: [store, EventStoreLifecycle],
      exports: [EVENT_STORE],
    };
  }
}
