import type { EventStoreConfig } from '../config';
import type { EventStore } from './event-store.port';
import { SqliteLogReader } from './sqlite/sqlite-log-reader';

/** Reads the log in order and nothing else: what a whole-log check needs. */
export interface LogReader extends Pick<EventStore, 'readAll'> {
  close(): void;
}

/**
 * A reader of its own for a worker thread, where the store allows one (the embedded SQLite file,
 * opened read-only); null for a server store, which is read through the service's own client.
 */
export function openLogReader(config: EventStoreConfig): LogReader | null {
  return hasLogReader(config) ? new SqliteLogReader(config.file) : null;
}

/** Whether openLogReader would give a reader, without opening one. */
export function hasLogReader(
  config: EventStoreConfig,
): config is Extract<EventStoreConfig, { driver: 'sqlite' }> {
  return config.driver === 'sqlite' && config.file !== ':memory:';
}
