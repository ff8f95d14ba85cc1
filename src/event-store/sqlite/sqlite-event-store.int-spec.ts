import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

eventStoreContract('sqlite (a real file in WAL mode)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronology-contract-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 50 });
  return Promise.resolve({
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
