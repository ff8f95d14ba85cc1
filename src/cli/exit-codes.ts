/**
 * The `chronology` command's exit codes (docs/cli.md). Scripts tell the outcomes apart by them:
 * a log that does not verify is not a typo in the command line, and neither is a server down.
 */
export const EXIT = {
  ok: 0,
  /** `verify`: the export does not match the signed checkpoint (the log was altered). */
  verificationFailed: 1,
  /** A bad command line: unknown command or option, a missing or malformed argument, an unreadable file. */
  usage: 2,
  /** The server could not be reached, or answered with an error (HTTP 4xx/5xx) where the command needed an answer. */
  network: 3,
  /** `import`: some rows were rejected (the report names each); the others were imported. */
  rejectedRows: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the command line reports and exits on, with its exit code and a machine-readable kind. */
export class CliError extends Error {
  /** Already reported on stdout as JSON (a streamed document closed with its error). */
  printed = false;

  constructor(
    readonly kind: 'usage' | 'network' | 'server',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get exitCode(): ExitCode {
    return this.kind === 'usage' ? EXIT.usage : EXIT.network;
  }
}

export const usageError = (message: string): CliError => new CliError('usage', message);
