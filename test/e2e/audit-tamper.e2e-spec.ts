import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/chronology';
import { TestApp } from './harness';
import { TAMPERINGS, openForTampering } from './tamper';

describe('tampering with the SQLite file is detected by verify (HTTP and offline CLI)', () => {
  jest.setTimeout(60_000);
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'chronology-audit-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A service with the sample loaded; returns it with the checkpoint an auditor kept and the public key. */
  async function loggedSample(): Promise<{ t: TestApp; total: number; note: string; key: string }> {
    const t = await TestApp.start({ LOAD_SAMPLE: 'true', AUDIT_CHECKPOINT_EVERY: '7' });
    const total = Number(await t.head());
    await t.get(`/v1/timeline?minPosition=${total}`);
    const cp = await t.get('/v1/audit/checkpoint');
    expect(cp.body.size).toBe(total);
    return { t, total, note: cp.body.note, key: cp.body.publicKey };
  }

  async function offlineVerify(t: TestApp, name: string, note: string, key: string) {
    const res = await t.get('/v1/audit/log');
    expect(res.status).toBe(200);
    const file = join(work, `${name}.ndjson`);
    writeFileSync(file, res.text);
    writeFileSync(`${file}.checkpoint`, note);
    let out = '';
    const code = await runCli(['verify', file, '--checkpoint', `${file}.checkpoint`, '--public-key', key], {
      out: (s) => (out += s),
      err: (s) => (out += s),
    });
    return { code, out };
  }

  it('an untouched store verifies clean, over HTTP and offline', async () => {
    const { t, total, note, key } = await loggedSample();
    try {
      const verify = await t.get('/v1/audit/verify');
      expect(verify.body).toMatchObject({ ok: true, checked: total, firstBad: null, treeProblem: null });
      expect(verify.body.checkpoints.length).toBeGreaterThan(1);
      const offline = await offlineVerify(t, 'clean', note, key);
      expect(offline.out).toContain('OK');
      expect(offline.code).toBe(0);
    } finally {
      await t.close();
    }
  });

  it.each(Object.keys(TAMPERINGS))('%s: named at the first bad position', async (name) => {
    const first = await loggedSample();
    const { total, note, key } = first;
    await first.t.close({ keepData: true });
    const db = openForTampering(join(first.t.dataDir, 'events.db'));
    const bad = TAMPERINGS[name]!(db, total);
    db.close();

    const t = await TestApp.start({ LOAD_SAMPLE: 'true' }, first.t.dataDir);
    try {
      const verify = await t.get('/v1/audit/verify');
      expect(verify.status).toBe(409);
      expect(verify.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(verify.body).toMatchObject({ code: 'log_altered', ok: false });
      expect(verify.body.detail).toContain(`first bad position ${bad}:`);
      expect(verify.body.firstBad).toMatchObject({ position: String(bad), leafIndex: bad - 1 });

      const offline = await offlineVerify(t, name.replace(/\W+/g, '-'), note, key);
      expect(offline.code).toBe(1);
      expect(offline.out).toContain(`FIRST BAD POSITION ${bad} `);
    } finally {
      await t.close();
    }
  });

  it('a tree rebuilt from a tampered log no longer matches the signed checkpoints, and signing stops', async () => {
    const first = await loggedSample();
    await first.t.close({ keepData: true });
    const db = openForTampering(join(first.t.dataDir, 'events.db'));
    TAMPERINGS['change one byte of an event’s data']!(db, first.total);
    db.close();
    rmSync(join(first.t.dataDir, 'read-models.db')); // the read models are disposable: rebuilt from the (tampered) log
    const t = await TestApp.start({ LOAD_SAMPLE: 'true' }, first.t.dataDir);
    try {
      await t.get(`/v1/timeline?minPosition=${first.total}`);
      const verify = await t.get('/v1/audit/verify');
      expect(verify.status).toBe(409);
      expect(verify.body.ok).toBe(false);
      expect(verify.body.treeProblem).toMatch(/do not build the root signed at size \d+/);
      expect(verify.body.checkpoints.some((c: any) => !c.matches)).toBe(true);
      await t.append('ActorRegistered', { actorId: 'later', name: 'Later', kind: 'state' });
      expect((await t.get('/v1/audit/checkpoint')).body.size).toBe(first.total); // nothing new signed
      expect((await t.get('/v1/audit/verify')).body.signer).toMatch(/no longer matches the checkpoint/);
    } finally {
      await t.close();
    }
  });
});
