#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { printJson, processIo, type Io } from './cli-io';
import { registerExport } from './commands/export';
import { registerImport } from './commands/import';
import { registerSigningKey } from './commands/signing-key';
import { CliError, EXIT } from './exit-codes';
import { isNoteError } from '../audit/checkpoint';
import { describeReport, verifyOffline } from './offline-verify';
import { registerReplay } from './replay';

export type { Io } from './cli-io';
export { EXIT } from './exit-codes';

/** Checkpoint problems that are a verdict on the log, not a bad argument. */
const REFUSED = new Set(['invalid_signature', 'unknown_key', 'wrong_origin']);

/** This package's version, from the package.json above this file (src/ or dist/). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dirname(dir) === dir) return 'unknown';
  }
}

/**
 * The `chronology` command line. Returns the exit code: 0 ok, 1 verification failed, 2 usage error,
 * 3 network or server error, 4 an import with rejected rows (exit-codes.ts, docs/cli.md).
 */
export async function runCli(
  argv: readonly string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let code: number = EXIT.ok;
  const json = argv.includes('--json');
  const program = new Command('chronology')
    .description('Crisis Chronology: export, import, verify offline, replay, make a signing key')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(chronology --help lists the commands and their options)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => (json ? undefined : io.err(s)) });

  registerExport(program, io, env);
  registerImport(program, io, env, (c) => (code = c));

  program
    .command('verify')
    .description('Verify an export offline (no server, no database) against a signed checkpoint')
    .argument('<export>', 'an NDJSON export from `chronology export` or GET /v1/audit/log')
    .requiredOption('--checkpoint <note>', 'the signed checkpoint (file, or the note text)')
    .requiredOption('--public-key <key>', 'the verifier key name+id+key (file, or the key text)')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (file: string, o: { checkpoint: string; publicKey: string; json?: boolean }) => {
      if (!existsSync(file)) throw new CliError('usage', `no such file: ${file}`);
      let report;
      try {
        report = await verifyOffline(file, o.checkpoint, o.publicKey);
      } catch (e) {
        // A checkpoint not signed by this key, or an export line that is not JSON: a verdict (1).
        // A key or checkpoint that cannot be read at all is a bad argument (2).
        const message = (e as Error).message;
        if (!(isNoteError(e) && REFUSED.has(e.code)) && !/: not a JSON line$/.test(message)) {
          throw new CliError('usage', message);
        }
        if (o.json) printJson(io, { ok: false, problem: message });
        else io.out(`FAILED: ${message}\n`);
        code = EXIT.verificationFailed;
        return;
      }
      if (o.json) printJson(io, report);
      else io.out(`${describeReport(report)}\n`);
      code = report.ok ? EXIT.ok : EXIT.verificationFailed;
    });

  registerReplay(program, io, env);
  registerSigningKey(program, io, env);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      if (e.code === 'commander.help') return EXIT.ok;
      if (json) printJson(io, { ok: false, error: { kind: 'usage', message: e.message } });
      return EXIT.usage;
    }
    const err = e instanceof CliError ? e : new CliError('usage', (e as Error).message);
    if (json && !err.printed) {
      printJson(io, { ok: false, error: { kind: err.kind, message: err.message, ...err.details } });
    } else io.err(`chronology: ${err.message}\n`);
    return err.exitCode;
  }
}

if (require.main === module) {
  const io = processIo();
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
