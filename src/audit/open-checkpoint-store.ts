import type { AppConfig } from '../config';
import type { VerifierKey } from './checkpoint';
import type { CheckpointStore } from './checkpoint-store';
import { EventStoreDbCheckpointStream } from './eventstoredb-checkpoint-stream';
import { FileCheckpointStore } from './file-checkpoint-store';
import { StreamCheckpointStore } from './stream-checkpoint-store';

/**
 * Where this deployment keeps its signed checkpoints: on EventStoreDB, in one stream of the store
 * that every instance reads and signs into (one audit identity per deployment); on the embedded
 * default, in this instance's own file beside the log.
 */
export function openCheckpointStore(config: AppConfig, verifier: VerifierKey): CheckpointStore {
  const store = config.eventStore;
  if (store.driver === 'eventstoredb') {
    const stream = new EventStoreDbCheckpointStream(store.connectionString);
    return new StreamCheckpointStore(stream, verifier, config.audit.origin);
  }
  return new FileCheckpointStore(config.audit.checkpointsFile);
}
