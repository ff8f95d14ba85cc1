export * from './event-store.port';
export * from './event-store.errors';
export * from './position';
export { checkExpectedRevision, contentHash, sameEventId } from './append-rules';
export { EventStoreDbStream, EventStoreModule } from './event-store.module';
export { hasLogReader, openLogReader, type LogReader } from './log-reader';
