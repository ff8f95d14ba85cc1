/**
 * Connection strings. The config accepts the KurrentDB schemes (`kurrentdb://`, `kdb://`, with
 * `+discover`) as well as `esdb://`; client 6.2.1 only parses `esdb://` and `esdb+discover://`, whose
 * syntax is otherwise the same, so the scheme is translated here.
 */
export function forClient(connectionString: string): string {
  return connectionString.trim().replace(/^(?:kurrentdb|kdb)(\+discover)?:\/\//i, 'esdb$1://');
}

/** The hosts of a connection string, for messages: never the credentials, never the options. */
export function endpointOf(connectionString: string): string {
  return forClient(connectionString)
    .replace(/\/\/[^@/]*@/, '//')
    .replace(/\?.*$/, '')
    .replace(/\/+$/, '');
}

/** The `defaultDeadline` (ms) of a connection string, which the client applies to appends only. */
export function deadlineOf(connectionString: string): number | undefined {
  const m = /[?&]defaultDeadline=(\d+)/i.exec(connectionString);
  return m ? Number(m[1]) : undefined;
}
