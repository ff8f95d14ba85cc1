import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const APP_CONFIG = Symbol('APP_CONFIG');

export type EventStoreConfig =
  | { readonly driver: 'sqlite'; readonly file: string }
  | {
      readonly driver: 'eventstoredb';
      readonly connectionString: string;
      /** One multi-stream append session per append where the node offers them (KurrentDB 25.1+). */
      readonly appendSessions: boolean;
    };

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** Where every SQLite file of this instance lives. */
  readonly dataDir: string;
  readonly eventStore: EventStoreConfig;
  /** The read models (projections) of this instance: disposable, rebuilt from the log. */
  readonly readDbFile: string;
  /** Load the sample chronology when the log is empty. */
  readonly loadSample: boolean;
  readonly sampleFile: string;
  /** Allow GET requests without an API key. */
  readonly publicReads: boolean;
  /** An admin key to install at start (stored as an HMAC); otherwise one is generated on an empty store. */
  readonly adminApiKey: string | null;
  /**
   * The deployment-wide secret API keys are stored with (HMAC-SHA-256). Required on the EventStoreDB
   * path, where instances share key events but not data dirs; on the embedded default, when null,
   * it is read from or generated into `apiKeySecretFile`.
   */
  readonly apiKeySecret: string | null;
  readonly apiKeySecretFile: string;
  /**
   * How long a browser session (the cookie POST /v1/session sets for a key) lasts from when it was
   * opened; it ends sooner when signed out or when its key is revoked.
   */
  readonly sessionLifetimeSeconds: number;
  readonly bodyLimitBytes: number;
  /** How long a read with minPosition waits for the projections before answering 503. */
  readonly readWaitTimeoutMs: number;
  /**
   * Worker threads that run the read routes' queries, each on its own read-only connection, so a
   * long read never holds the event loop (appends, live feeds, /health). 0 runs them on the loop.
   */
  readonly readWorkers: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** `json`: one JSON object per line, no colours (default when stdout is not a terminal). */
  readonly logFormat: 'json' | 'text';
  readonly live: LiveConfig;
  readonly audit: AuditConfig;
  readonly http: HttpConfig;
}

/** Limits of the HTTP server: what one client, slow or many, may hold. */
export interface HttpConfig {
  /** A request's headers must arrive within this (slow-headers attacks end here). */
  readonly headersTimeoutMs: number;
  /** A whole request (headers and body) must arrive within this. */
  readonly requestTimeoutMs: number;
  /** A connection with nothing to read or write for this long is closed (above the SSE heartbeat). */
  readonly idleTimeoutMs: number;
  /** Open connections at most; past it new ones are closed at once. Keep below `ulimit -n`. */
  readonly maxConnections: number;
  /**
   * Reverse proxies whose X-Forwarded-For, -Proto and -Host are believed (addresses, CIDR ranges or
   * proxy-addr's names such as `loopback`); empty: none, the socket says who and how.
   */
  readonly trustProxy: readonly string[];
  /** Origins allowed to call the API from a browser (CORS); empty: CORS off. Never with credentials. */
  readonly corsOrigins: readonly string[];
  /** Requests per minute per API key (or, without one, per client address); 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** Requests per minute per client address that present an unknown or revoked key; 0: no limit. */
  readonly authFailuresPerMinute: number;
}

export interface AuditConfig {
  /** The log's name in signed checkpoints (C2SP origin line) and the signing key's name. */
  readonly origin: string;
  /**
   * A signing key (PRIVATE+KEY+… note format). Required on the EventStoreDB path, where every
   * instance signs the deployment's one checkpoint stream; on the embedded default, when null, one
   * is read from or created in `keyFile`.
   */
  readonly signingKey: string | null;
  readonly keyFile: string;
  /** Signed checkpoints: kept apart from the disposable read models, never overwritten. */
  readonly checkpointsFile: string;
  /** Sign a checkpoint once this many events were added since the last one… */
  readonly checkpointEvery: number;
  /** …or once this long has passed with any event added. */
  readonly checkpointIntervalMs: number;
  /** How often the whole log is verified again, off the event loop; 0: only the check at start. */
  readonly verifyIntervalMs: number;
  /**
   * Start a new checkpoint history for a log that already holds events (its history was lost or
   * never kept here). Recorded in the checkpoint file; without it such a start reports the audit as
   * `history-missing` and signs nothing.
   */
  readonly acceptMissingHistory: boolean;
}

export interface LiveConfig {
  /** A comment line at least this often keeps proxies and clients from timing out. */
  readonly heartbeatMs: number;
  /**
   * Unsent output a live subscriber may hold. Past it, the subscriber stops receiving live batches
   * and reads from the log at its own pace instead, so memory per subscriber stays bounded.
   */
  readonly maxBufferBytes: number;
  /** A subscriber that takes nothing for this long while behind is cut off; it resumes by position. */
  readonly stallTimeoutMs: number;
  /** The reconnection delay suggested to clients (SSE `retry:`). */
  readonly retryMs: number;
  readonly maxSubscribers: number;
}

/** The folder holding package.json, found from this file whether it runs from src/ or dist/. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}
