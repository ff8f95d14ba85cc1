import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/cli/chronology';
import { cli } from './cli-run';
import { ADMIN_KEY, TestApp } from './harness';

/** Nothing listens on port 1 of the loopback address: connecting is refused at once. */
const UNREACHABLE = 'http://127.0.0.1:1';

describe('the chronology command line: version, exit codes, --json', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let work: string;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    work = mkdtempSync(join(tmpdir(), 'chronology-cli-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('--version prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const run = await cli([flag]);
      expect(run).toMatchObject({ code: EXIT.ok, out: `${pkg.version}\n` });
    }
  });

  it('a usage error exits 2, and with --json says so in JSON on stdout', async () => {
    const cases = [
      ['frobnicate'],
      ['export', '--no-such-option'],
      ['replay'],
      ['export', '--format', 'pdf', '-o', join(work, 'x')],
      ['export', '--url', t.url],
      ['replay', '--until', 'yesterday', '--url', t.url],
      ['import', join(work, 'missing.csv'), '--crisis', 'x'],
      ['verify', join(work, 'missing.ndjson'), '--checkpoint', 'x', '--public-key', 'y'],
    ];
    for (const args of cases) {
      const run = await cli(args);
      expect({ args, code: run.code }).toEqual({ args, code: EXIT.usage });
      const json = await cli([...args, '--json']);
      expect(json.code).toBe(EXIT.usage);
      expect(JSON.parse(json.out)).toMatchObject({ ok: false, error: { kind: 'usage' } });
    }
    // With --json, stdout holds one JSON document: an export to stdout cannot share it.
    const mixed = await cli(['export', '--format', 'csv', '--url', t.url, '--json']);
    expect(mixed.code).toBe(EXIT.usage);
    expect(JSON.parse(mixed.out)).toMatchObject({ ok: false, error: { kind: 'usage' } });
  });

  it('an unreachable server exits 3, and so does a server that refuses the request', async () => {
    const down = await cli(['export', '--url', UNREACHABLE, '-o', join(work, 'down.ndjson')]);
    expect(down.code).toBe(EXIT.network);
    expect(down.err).toMatch(/ECONNREFUSED/);
    const json = await cli(['replay', '--until', '5', '--url', UNREACHABLE, '--json']);
    expect(json.code).toBe(EXIT.network);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, error: { kind: 'network' } });
    // The audit log needs the audit permission: no key is a 401.
    const refused = await cli(['export', '--url', t.url, '-o', join(work, 'nokey.ndjson'), '--json']);
    expect(refused.code).toBe(EXIT.network);
    expect(JSON.parse(refused.out)).toMatchObject({ ok: false, error: { kind: 'server', status: 401 } });
  });

  it('export writes the audit log as the server sends it; verify passes it (0) and fails a tampered copy (1)', async () => {
    const file = join(work, 'log.ndjson');
    const run = await cli(['export', '--url', t.url, '--api-key', ADMIN_KEY, '-o', file, '--json']);
    expect(run.code).toBe(EXIT.ok);
    const result = JSON.parse(run.out);
    const direct = await t.get(`/v1/audit/log?treeSize=${result.treeSize}`);
    expect(readFileSync(file, 'utf8')).toBe(direct.text);
    expect(result).toMatchObject({
      ok: true,
      format: 'log',
      lines: result.treeSize,
      checkpoint: `${file}.checkpoint`,
    });

    const key = (await t.get('/v1/audit/public-key')).body.publicKey as string;
    const args = ['--checkpoint', `${file}.checkpoint`, '--public-key', key];
    const ok = await cli(['verify', file, ...args, '--json']);
    expect(ok.code).toBe(EXIT.ok);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, checked: result.treeSize });

    const tampered = join(work, 'tampered.ndjson');
    writeFileSync(tampered, direct.text.replace('Russia', 'Russla'));
    const bad = await cli(['verify', tampered, ...args]);
    expect(bad.code).toBe(EXIT.verificationFailed);
    expect(bad.out).toMatch(/FAILED: the log was altered/);
    const badJson = await cli(['verify', tampered, ...args, '--json']);
    expect(badJson.code).toBe(EXIT.verificationFailed);
    expect(JSON.parse(badJson.out)).toMatchObject({ ok: false, firstBad: { problem: expect.any(String) } });
  });

  it('replay --json is one JSON document with every entry, page after page', async () => {
    const head = (await t.head())!;
    const timeline = (await t.get(`/v1/timeline?limit=200&atPosition=${head}`)).body;
    const run = await cli(['replay', '--until', head, '--url', t.url, '--json']);
    expect(run.code).toBe(EXIT.ok);
    const doc = JSON.parse(run.out);
    expect(doc.count).toBe(timeline.items.length);
    expect(doc.items).toEqual(timeline.items);
    const text = await cli(['replay', '--until', head, '--url', t.url]);
    expect(text.out.trim().split('\n')).toHaveLength(timeline.items.length + 1);
    expect(text.out).toContain(`timeline until ${head}: ${timeline.items.length} entries`);
  });

  it('export --format streams GET /v1/exports/{format} with the filters passed through', async () => {
    const file = join(work, 'russia.ndjson');
    const args = ['export', '--format', 'ndjson', '--actor', 'russia', '--include-members', '--url', t.url];
    const run = await cli([...args, '-o', file, '--json']);
    const route = await t.get('/v1/exports/ndjson?actor=russia&includeMembers=true');
    if (route.status === 404) {
      // The exports route is not on this server: the CLI says so and exits 3.
      expect(run.code).toBe(EXIT.network);
      return;
    }
    expect(run.code).toBe(EXIT.ok);
    expect(readFileSync(file, 'utf8')).toBe(route.text);
    const result = JSON.parse(run.out);
    expect(result).toMatchObject({
      ok: true,
      format: 'ndjson',
      position: route.headers.get('x-export-position'),
    });
    const lines = route.text.trim().split('\n');
    expect(result.lines).toBe(lines.length);
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(entry.actors.map((a: { actorId: string }) => a.actorId).join(' ')).toMatch(
        /russia|putin|lavrov|zakharova|peskov|mfa|mod/,
      );
    }
    // Without -o the export goes to stdout.
    const stdout = await cli([...args]);
    expect(stdout.code).toBe(EXIT.ok);
    expect(stdout.out).toBe(route.text);
  });
});
