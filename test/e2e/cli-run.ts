import { runCli } from '../../src/cli/chronology';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the command line in this process, collecting what it writes to stdout and stderr. */
export async function cli(args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}
