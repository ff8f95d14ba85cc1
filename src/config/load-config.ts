import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot, type AppConfig, type EventStoreConfig } from './app-config';
import { weakSecretProblem } from './secret-strength';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/** The one place that reads environment variables. Every problem is reported at once. */
export function loadConfig(env: Env = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };

  const dataDir = resolve(env.DATA_DIR || './data');
  const driver = env.EVENT_STORE || 'sqlite';
  let eventStore: EventStoreConfig = { driver: 'sqlite', file: join(dataDir, 'events.db') };
  if (driver === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING;
    if (!connectionString)
      problems.push('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb');
    else if (!/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//.test(connectionString)) {
      problems.push(
        'EVENTSTORE_CONNECTION_STRING must start with kurrentdb://, kurrentdb+discover://, esdb:// or esdb+discover://',
      );
    }
    eventStore = {
      driver: 'eventstoredb',
      connectionString: connectionString ?? '',
      appendSessions: bool('EVENTSTORE_APPEND_SESSIONS', true),
    };
  } else if (driver !== 'sqlite') {
    problems.push(`EVENT_STORE must be sqlite or eventstoredb (got "${driver}")`);
  }

  const logLevel = (env.LOG_LEVEL || 'log') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const adminApiKey = env.ADMIN_API_KEY || null;
  if (adminApiKey !== null) {
    const weak = weakSecretProblem(adminApiKey, 24);
    if (weak) problems.push(`ADMIN_API_KEY ${weak}`);
  }
  const apiKeySecret = env.API_KEY_SECRET || null;
  if (apiKeySecret !== null) {
    const weak = weakSecretProblem(apiKeySecret, 32);
    if (weak) problems.push(`API_KEY_SECRET ${weak}`);
  } else if (eventStore.driver === 'eventstoredb') {
    problems.push(
      'API_KEY_SECRET is required when EVENT_STORE=eventstoredb: every instance must hold the same secret to check API keys (e.g. openssl rand -base64 32)',
    );
  }

  const signingKey = env.AUDIT_SIGNING_KEY || null;
  if (signingKey === null && eventStore.driver === 'eventstoredb') {
    problems.push(
      'AUDIT_SIGNING_KEY is required when EVENT_STORE=eventstoredb: every instance must sign checkpoints with the same key (PRIVATE+KEY+…; make one with `chronology signing-key`, see docs/eventstoredb.md)',
    );
  }

  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir,
    eventStore,
    readDbFile: join(dataDir, 'read-models.db'),
    loadSample: bool('LOAD_SAMPLE', true),
    sampleFile: resolve(env.SAMPLE_FILE || join(packageRoot(), 'sample', 'chronology.json')),
    publicReads: bool('PUBLIC_READS', true),
    adminApiKey,
    apiKeySecret,
    apiKeySecretFile: join(dataDir, 'api-key.secret'),
    // 8 hours: a working day; from a minute to 30 days.
    sessionLifetimeSeconds: int('SESSION_LIFETIME_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    readWaitTimeoutMs: int('READ_WAIT_TIMEOUT_MS', 5000, 0, 60000),
    readWorkers: int('READ_WORKERS', Math.min(2, availableParallelism()), 0, 64),
    logLevel,
    logFormat: logFormatOf(env.LOG_FORMAT, problems),
    live: {
      heartbeatMs: int('LIVE_HEARTBEAT_MS', 15_000, 50, 15_000),
      maxBufferBytes: int('LIVE_MAX_BUFFER_BYTES', 1024 * 1024, 16 * 1024, 256 * 1024 * 1024),
      stallTimeoutMs: int('LIVE_STALL_TIMEOUT_MS', 30_000, 100, 600_000),
      retryMs: int('LIVE_RETRY_MS', 3000, 0, 600_000),
      maxSubscribers: int('LIVE_MAX_SUBSCRIBERS', 10_000, 1, 1_000_000),
    },
    audit: {
      origin: env.AUDIT_ORIGIN || 'crisis-chronology.local/log',
      signingKey,
      keyFile: resolve(env.AUDIT_KEY_FILE || join(dataDir, 'audit-signing.key')),
      checkpointsFile: join(dataDir, 'audit-checkpoints.db'),
      checkpointEvery: int('AUDIT_CHECKPOINT_EVERY', 1000, 1, 10_000_000),
      checkpointIntervalMs: int('AUDIT_CHECKPOINT_INTERVAL_MS', 10_000, 10, 86_400_000),
      // At most what one timer can wait (2^31 - 1 ms, 24.8 days).
      verifyIntervalMs: int('AUDIT_VERIFY_INTERVAL_SECONDS', 3600, 0, 2_147_483) * 1000,
      acceptMissingHistory: bool('AUDIT_ACCEPT_MISSING_HISTORY', false),
    },
    http: {
      headersTimeoutMs: int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      requestTimeoutMs: int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
      idleTimeoutMs: int('HTTP_IDLE_TIMEOUT_MS', 60_000, 1000, 3_600_000),
      maxConnections: int('HTTP_MAX_CONNECTIONS', 2_000, 1, 1_000_000),
      trustProxy: trustedProxies(env.TRUST_PROXY, problems),
      corsOrigins: corsOrigins(env.CORS_ORIGINS, problems),
      rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 1_200, 0, 10_000_000),
      authFailuresPerMinute: int('AUTH_FAILURES_PER_MINUTE', 30, 0, 1_000_000),
    },
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** CORS_ORIGINS: a comma list of origins (scheme://host[:port]); "*" is refused (say which origins). */
function corsOrigins(value: string | undefined, problems: string[]): string[] {
  const origins = (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const o of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o))
      problems.push(`CORS_ORIGINS: "${o}" is not an origin such as https://newsroom.example.org`);
  }
  return origins;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: a comma list of the proxies in front of the service, as addresses (10.0.0.2), CIDR
 * ranges (10.0.0.0/8) or the names loopback, linklocal, uniquelocal; what they forward is believed.
 */
function trustedProxies(value: string | undefined, problems: string[]): string[] {
  const proxies = (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of proxies) {
    const [address, bits, extra] = p.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (PROXY_NAMES.includes(p) || (family !== 0 && validBits && extra === undefined)) continue;
    problems.push(
      `TRUST_PROXY: "${p}" is not an address, a CIDR range or one of ${PROXY_NAMES.join(', ')} (e.g. 10.0.0.0/8)`,
    );
  }
  return proxies;
}

/** LOG_FORMAT: `json` or `text`; unset, JSON unless stdout is a terminal (logs go to a collector). */
function logFormatOf(value: string | undefined, problems: string[]): 'json' | 'text' {
  if (value === undefined || value === '') return process.stdout.isTTY ? 'text' : 'json';
  if (value === 'json' || value === 'text') return value;
  problems.push('LOG_FORMAT must be json or text');
  return 'text';
}
