#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { createWriteStream, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { describeReport, verifyOffline } from './offline-verify';
import { printTimeline } from './replay';

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

function headers(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

/** The `chronology` command line. Returns the exit code (0: ok; 1: verification failed; 2: error). */
export async function runCli(
  argv: readonly string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let code = 0;
  const program = new Command('chronology')
    .description('Crisis Chronology: export, verify offline and replay the audit log')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  program
    .command('export')
    .description('Download the audit log (NDJSON) and the signed checkpoint it ends at')
    .option('--url <url>', 'service base URL', env.CHRONOLOGY_URL ?? 'http://localhost:3000')
    .option(
      '--api-key <key>',
      'an API key with the audit permission (or CHRONOLOGY_API_KEY)',
      env.CHRONOLOGY_API_KEY,
    )
    .option('--tree-size <n>', 'size of a signed checkpoint (default: the latest)', positiveInt)
    .requiredOption('-o, --out <file>', 'where to write the export; the checkpoint goes to <file>.checkpoint')
    .action(async (o: { url: string; apiKey?: string; treeSize?: number; out: string }) => {
      const size = o.treeSize ? `?treeSize=${o.treeSize}` : '';
      const res = await fetch(`${o.url}/v1/audit/log${size}`, { headers: headers(o.apiKey) });
      if (!res.ok || !res.body) throw new Error(`GET /v1/audit/log: ${res.status} ${await res.text()}`);
      const treeSize = res.headers.get('x-tree-size') ?? '';
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(o.out));
      const note = await fetch(`${o.url}/v1/audit/checkpoint?treeSize=${treeSize}`, {
        headers: { ...headers(o.apiKey), accept: 'text/plain' },
      });
      if (!note.ok) throw new Error(`GET /v1/audit/checkpoint: ${note.status}`);
      writeFileSync(`${o.out}.checkpoint`, await note.text());
      io.out(`exported ${treeSize} leaves to ${o.out}; checkpoint in ${o.out}.checkpoint\n`);
    });

  program
    .command('verify')
    .description('Verify an export offline (no server, no database) against a signed checkpoint')
    .argument('<export>', 'an NDJSON export from `chronology export` or GET /v1/audit/log')
    .requiredOption('--checkpoint <note>', 'the signed checkpoint (file, or the note text)')
    .requiredOption('--public-key <key>', 'the verifier key name+id+key (file, or the key text)')
    .action(async (file: string, o: { checkpoint: string; publicKey: string }) => {
      const report = await verifyOffline(file, o.checkpoint, o.publicKey);
      io.out(`${describeReport(report)}\n`);
      code = report.ok ? 0 : 1;
    });

  program
    .command('replay')
    .description('Print the timeline as the chronology showed it at an earlier instant or log position')
    .requiredOption('--until <instant|position>', 'an ISO 8601 instant with zone, or a log position')
    .option('--url <url>', 'service base URL', env.CHRONOLOGY_URL ?? 'http://localhost:3000')
    .option('--api-key <key>', 'an API key (or CHRONOLOGY_API_KEY)', env.CHRONOLOGY_API_KEY)
    .option('--crisis <id>', 'only this crisis')
    .action(async (o: { until: string; url: string; apiKey?: string; crisis?: string }) => {
      io.out(await printTimeline(o, headers(o.apiKey)));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code?.startsWith('commander.')) return err.exitCode ?? 2;
    io.err(`chronology: ${err.message}\n`);
    return 2;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  }).then((code) => {
    process.exitCode = code;
  });
}
