import { openNote, parseSigningKey, parseVerifierKey, signNote } from '../../audit/checkpoint';
import { loadConfig } from '../../config/load-config';
import { runCli } from '../chronology';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s) }, env);
  return { code, out, err };
}

describe('chronology signing-key', () => {
  it('prints a new signing key alone on stdout, and on stderr the public key that verifies its signatures', async () => {
    const run = await cli(['signing-key', '--name', 'newsroom.example/log']);
    expect(run.code).toBe(0);
    expect(run.out.endsWith('\n')).toBe(true);
    expect(run.out.trim().split('\n')).toHaveLength(1);
    const key = parseSigningKey(run.out.trim());
    expect(key.name).toBe('newsroom.example/log');
    const publicKey = /public key: (\S+)/.exec(run.err)?.[1];
    expect(publicKey).toBeDefined();
    const note = signNote('newsroom.example/log\n3\nAAAA\n', key);
    expect(() => openNote(note, parseVerifierKey(publicKey!))).not.toThrow();
    // Two runs never give the same key.
    expect((await cli(['signing-key'])).out).not.toBe(run.out);
  });

  it('names the key after AUDIT_ORIGIN when set, and the service starts with what it prints', async () => {
    const run = await cli(['signing-key', '--json'], { AUDIT_ORIGIN: 'ops.example/chronology' });
    expect(run.code).toBe(0);
    const { signingKey, publicKey } = JSON.parse(run.out) as { signingKey: string; publicKey: string };
    expect(parseSigningKey(signingKey).name).toBe('ops.example/chronology');
    expect(publicKey.startsWith('ops.example/chronology+')).toBe(true);
    const config = loadConfig({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      API_KEY_SECRET: 'c2lnbmluZy1rZXktc3BlYy1zaGFyZWQtc2VjcmV0LTMyYg==',
      ADMIN_API_KEY: 'signing-key-spec-admin-key-0123456789',
      AUDIT_ORIGIN: 'ops.example/chronology',
      AUDIT_SIGNING_KEY: signingKey,
    });
    expect(config.audit.signingKey).toBe(signingKey);
  });

  it('refuses a name a checkpoint cannot carry (exit 2)', async () => {
    const run = await cli(['signing-key', '--name', 'has space']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--name');
  });
});
