import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config';
import { DataDirLocked } from './shared/data-dir-lock';
import { EVENT_STORE, type EventStore } from './event-store';
import { AppliedStream } from './projections/applied-stream';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const logger = new Logger('Main');
  const store = app.get<EventStore>(EVENT_STORE);
  const head = await store.headPosition();
  if (head && !(await app.get(AppliedStream).waitFor(head, 60_000))) {
    logger.warn('read models are still catching up; reads may lag (see GET /health)');
  }
  await app.listen({ port: config.port, host: config.host });
  logger.log(
    `listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (store: ${config.eventStore.driver}, data: ${config.dataDir})`,
  );
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLocked) console.error(e.message);
  else console.error(e);
  process.exit(1);
});
