import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config';
import { DataDirLocked } from './shared/data-dir-lock';
import { ProjectionRunner } from './projections/projection-runner';

/** Longest wait for the read models before the port opens. */
const CATCH_UP_BEFORE_LISTEN_MS = 250;

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const logger = new Logger('Main');
  // A short log is applied before the port opens, so nobody sees it half applied; a long one is
  // caught up while the server listens: writes and /health work, reads answer 503 not_ready.
  if (!(await app.get(ProjectionRunner).whenCaughtUp(CATCH_UP_BEFORE_LISTEN_MS))) {
    logger.log(
      'read models are catching up with the log; reads answer 503 until then (progress: GET /health)',
    );
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => logger.log(`received ${signal}: finishing requests in flight, then stopping`));
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
