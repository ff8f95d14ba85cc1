import type { Command } from 'commander';
import {
  formatSigningKey,
  formatVerifierKey,
  generateSigningKey,
  isValidKeyName,
} from '../../audit/checkpoint';
import { printJson, type Io } from '../cli-io';
import { CliError } from '../exit-codes';

/** The log name a deployment uses when AUDIT_ORIGIN is not set (as the service's configuration). */
const DEFAULT_ORIGIN = 'crisis-chronology.local/log';

/**
 * `chronology signing-key`: a new Ed25519 checkpoint signing key for AUDIT_SIGNING_KEY (one per
 * deployment: every instance on a shared store signs with it), and its public verifier key. Made
 * locally from the system's random source; nothing is sent anywhere.
 */
export function registerSigningKey(program: Command, io: Io, env: NodeJS.ProcessEnv): void {
  program
    .command('signing-key')
    .description('Make a new checkpoint signing key (for AUDIT_SIGNING_KEY) and print it with its public key')
    .option(
      '--name <origin>',
      'the log name in checkpoints (AUDIT_ORIGIN)',
      env.AUDIT_ORIGIN || DEFAULT_ORIGIN,
    )
    .option('--json', 'print { signingKey, publicKey } as JSON')
    .action((o: { name: string; json?: boolean }) => {
      if (!isValidKeyName(o.name))
        throw new CliError(
          'usage',
          `--name: "${o.name}" is not a valid key name (no spaces or "+", not empty)`,
        );
      const key = generateSigningKey(o.name);
      const signingKey = formatSigningKey(key);
      const publicKey = formatVerifierKey(key);
      if (o.json) printJson(io, { signingKey, publicKey });
      else {
        // The key alone on stdout, so that `export AUDIT_SIGNING_KEY="$(chronology signing-key)"` works.
        io.out(`${signingKey}\n`);
        io.err(
          'The line above is secret: set it as AUDIT_SIGNING_KEY on every instance of the deployment.\n' +
            `Verifiers check checkpoints with the public key: ${publicKey}\n`,
        );
      }
    });
}
