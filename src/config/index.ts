export {
  APP_CONFIG,
  packageRoot,
  type AppConfig,
  type AuditConfig,
  type EventStoreConfig,
  type HttpConfig,
} from './app-config';
export { ConfigError, loadConfig } from './load-config';
export { ConfigModule } from './config.module';
export { deriveKey, loadServerSecret } from './server-secret';
