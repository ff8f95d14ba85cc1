export * from './event-store.port';
export * from './event-store.errors';
export * from './position';
export { EventStoreModule } from './event-store.module';
