import { KurrentDBClient } from '@kurrent/kurrentdb-client';

/**
 * Connection strings. The config accepts `esdb://`, `kurrentdb://` and `kdb://` (each with
 * `+discover`), whose syntax is otherwise the same; the client is given the `kurrentdb` scheme,
 * the one it does not call deprecated (it prints a warning on the console for `esdb`).
 */
export function forClient(connectionString: string): string {
  return connectionString.trim().replace(/^(?:esdb|kurrentdb|kdb)(\+discover)?:\/\//i, 'kurrentdb$1://');
}

/** A client for a connection string in any of the accepted forms. */
export function connect(connectionString: string): KurrentDBClient {
  return KurrentDBClient.connectionString(forClient(connectionString));
}

/** The hosts of a connection string as configured, for messages: never the credentials, never the options. */
export function endpointOf(connectionString: string): string {
  return connectionString
    .trim()
    .replace(/\/\/[^@/]*@/, '//')
    .replace(/\?.*$/, '')
    .replace(/\/+$/, '');
}

/** The `defaultDeadline` (ms) of a connection string, which the client applies to appends only. */
export function deadlineOf(connectionString: string): number | undefined {
  const m = /[?&]defaultDeadline=(\d+)/i.exec(connectionString);
  return m ? Number(m[1]) : undefined;
}
