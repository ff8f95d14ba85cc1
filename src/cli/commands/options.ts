import { InvalidArgumentError, type Command } from 'commander';

/** Where the server is, and how results are printed: options every command that calls it takes. */
export interface Connection {
  url: string;
  apiKey?: string;
  json?: boolean;
}

export function connectionOptions(cmd: Command, env: NodeJS.ProcessEnv): Command {
  return cmd
    .option(
      '--url <url>',
      'service base URL (or CHRONOLOGY_URL)',
      env.CHRONOLOGY_URL ?? 'http://localhost:3000',
    )
    .option('--api-key <key>', 'an API key (or CHRONOLOGY_API_KEY)', env.CHRONOLOGY_API_KEY)
    .option('--json', 'print the result as JSON on stdout');
}

export const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
