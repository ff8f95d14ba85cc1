import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_STREAM } from '../../src/audit/eventstoredb-checkpoint-stream';
import { formatSigningKey, generateSigningKey } from '../../src/audit/checkpoint';
import { runCli } from '../../src/cli/chronology';
import { REGISTRY, REPORTS } from '../fixtures/chronology.fixtures';
import { EventStoreDbTestServer } from '../eventstoredb/eventstoredb-test-server';
import { TestApp } from './harness';
import { ServiceProcess } from './service-process';

const ORIGIN = 'crisis-chronology.local/log';

/**
 * One audit identity per deployment on EVENT_STORE=eventstoredb: two instances on one store sign
 * into the store's checkpoint stream with the deployment's key, and serve the same checkpoints.
 */
describe('audit identity: two instances on one EventStoreDB store', () => {
  jest.setTimeout(120_000);
  let server: EventStoreDbTestServer;
  let work: string;
  const signingKey = formatSigningKey(generateSigningKey(ORIGIN));
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    EVENT_STORE: 'eventstoredb',
    EVENTSTORE_CONNECTION_STRING: server.connectionString,
    API_KEY_SECRET: 'e2e-secret-4fQ9zL2xW7mR8pK3vN6tY1bH',
    AUDIT_SIGNING_KEY: signingKey,
    ...extra,
  });

  /** The sizes stored in the checkpoint stream, one per record. */
  const storedSizes = (): number[] =>
    (server.log.stream(CHECKPOINT_STREAM) ?? []).map(
      (r) => (JSON.parse(Buffer.from(r.data).toString('utf8')) as { size: number }).size,
    );

  /** Waits until `t` has applied everything up to the log's head. */
  const caughtUp = async (t: TestApp, head: string | null): Promise<void> => {
    expect((await t.get(`/v1/timeline?minPosition=${head}`)).status).toBe(200);
  };

  /** Every checkpoint note `t` serves, oldest first. */
  const notesOf = async (t: TestApp): Promise<string[]> => {
    const sizes = ((await t.get('/v1/audit/checkpoints')).body.items as Array<{ size: number }>).map(
      (c) => c.size,
    );
    return Promise.all(
      sizes.map(async (size) => (await t.get(`/v1/audit/checkpoint?treeSize=${size}`)).body.note),
    );
  };

  beforeAll(async () => {
    server = await EventStoreDbTestServer.start();
    work = mkdtempSync(join(tmpdir(), 'audit-identity-'));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('both serve the same checkpoints, byte for byte, and an export from one verifies with the other', async () => {
    // A checkpoint every 3 events: both instances sign in the background as the log grows, racing.
    const a = await TestApp.start(env({ AUDIT_CHECKPOINT_EVERY: '3' }));
    const b = await TestApp.start(env({ AUDIT_CHECKPOINT_EVERY: '3' }));
    try {
      for (const e of [...REGISTRY, ...REPORTS]) await (e === REGISTRY[0] ? a : b).append(e.type, e.data);
      const head = await a.head();
      await Promise.all([caughtUp(a, head), caughtUp(b, head)]);
      const events = (await a.store.readAll({ maxCount: 10_000 })).length;
      // The latest checkpoint covers the whole log, whichever instance is asked (and signs it).
      expect((await b.get('/v1/audit/checkpoint')).body.size).toBe(events);

      const listA = await a.get('/v1/audit/checkpoints');
      const listB = await b.get('/v1/audit/checkpoints');
      expect(listA.status).toBe(200);
      expect(listB.body).toEqual(listA.body);
      const sizes = (listA.body.items as Array<{ size: number }>).map((c) => c.size);
      expect(sizes.length).toBeGreaterThan(2);
      expect(sizes[sizes.length - 1]).toBe(events);
      // One record per size in the store: where both signed a size, one stored and one adopted.
      expect(storedSizes()).toEqual(sizes);
      for (const size of sizes) {
        const notes = await Promise.all(
          [a, b].map((t) =>
            t.get(`/v1/audit/checkpoint?treeSize=${size}`, { headers: { accept: 'text/plain' } }),
          ),
        );
        expect(notes.map((n) => n.status)).toEqual([200, 200]);
        expect(notes[1]!.text).toBe(notes[0]!.text);
      }
      const keys = await Promise.all([a, b].map((t) => t.get('/v1/audit/public-key')));
      expect(keys[1]!.body.publicKey).toBe(keys[0]!.body.publicKey);

      // An export from a, verified offline with b's latest checkpoint and b's public key.
      const exported = await a.get('/v1/audit/log');
      expect(exported.headers.get('x-tree-size')).toBe(String(events));
      const latestB = await b.get('/v1/audit/checkpoint', { headers: { accept: 'text/plain' } });
      const file = join(work, 'from-a.ndjson');
      writeFileSync(file, exported.text);
      writeFileSync(`${file}.checkpoint`, latestB.text);
      let out = '';
      const io = { out: (s: string) => (out += s), err: (s: string) => (out += s) };
      const args = ['verify', file, '--checkpoint', `${file}.checkpoint`];
      expect(await runCli([...args, '--public-key', keys[1]!.body.publicKey], io)).toBe(0);
      expect(out).toContain(`${events} leaves checked against the checkpoint of size ${events}`);

      // Proofs from either instance are against the same signed note.
      const proofs = await Promise.all([a, b].map((t) => t.get(`/v1/audit/consistency?from=${sizes[0]}`)));
      expect(proofs[1]!.body).toEqual(proofs[0]!.body);
      // Both verify the whole log against the deployment's checkpoints.
      for (const t of [a, b]) expect((await t.get('/v1/audit/verify')).body).toMatchObject({ ok: true });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('two instances asked for the latest checkpoint at once: one checkpoint for that size', async () => {
    // No background signing past the first checkpoint: only the requests below sign.
    const quiet = { AUDIT_CHECKPOINT_EVERY: '10000000', AUDIT_CHECKPOINT_INTERVAL_MS: '86400000' };
    const a = await TestApp.start(env(quiet));
    const b = await TestApp.start(env(quiet));
    try {
      for (let round = 0; round < 5; round++) {
        const report = REPORTS[round % REPORTS.length]!;
        await a.append(report.type, { ...report.data, summary: `race round ${round}` });
        const head = await a.head();
        await Promise.all([caughtUp(a, head), caughtUp(b, head)]);
        const size = (await a.store.readAll({ maxCount: 10_000 })).length;
        const [fromA, fromB] = await Promise.all([a, b].map((t) => t.get('/v1/audit/checkpoint')));
        expect([fromA!.body.size, fromB!.body.size]).toEqual([size, size]);
        expect(fromB!.body.note).toBe(fromA!.body.note);
        expect(storedSizes().filter((s) => s === size)).toHaveLength(1);
      }
      const sizes = storedSizes();
      expect(new Set(sizes).size).toBe(sizes.length);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('an instance that joins later serves the checkpoints signed before it, and its audit is ok', async () => {
    const a = await TestApp.start(env());
    try {
      await a.append(REPORTS[0]!.type, { ...REPORTS[0]!.data, summary: 'before the late instance' });
      const signed = (await a.get('/v1/audit/checkpoint')).body as { size: number; note: string };
      const late = await TestApp.start(env({ LOAD_SAMPLE: 'false' }));
      try {
        const found = await late.get(`/v1/audit/checkpoint?treeSize=${signed.size}`);
        expect([found.status, found.body.note]).toEqual([200, signed.note]);
        // No "history missing" here: the history is the store's, not the instance's data dir.
        const deadline = Date.now() + 30_000;
        let state: string | undefined;
        while ((state = (await late.get('/health')).body.checks?.audit?.state) !== 'ok') {
          if (Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(state).toBe('ok');
      } finally {
        await late.close();
      }
    } finally {
      await a.close();
    }
  });

  it('a stream whose first checkpoint another key signed: the deployment signs on and serves only its own', async () => {
    const fresh = await EventStoreDbTestServer.start();
    const on = (extra: Record<string, string> = {}) =>
      env({ EVENTSTORE_CONNECTION_STRING: fresh.connectionString, ...extra });
    const records = () => fresh.log.stream(CHECKPOINT_STREAM) ?? [];
    try {
      // One instance started once with the wrong key on a fresh stream writes record 0.
      const stray = await TestApp.start(
        on({ AUDIT_SIGNING_KEY: formatSigningKey(generateSigningKey(ORIGIN)) }),
      );
      let strayNotes: string[];
      try {
        await stray.append(REGISTRY[0]!.type, REGISTRY[0]!.data);
        expect((await stray.get('/v1/audit/checkpoint')).status).toBe(200);
        strayNotes = await notesOf(stray);
      } finally {
        await stray.close();
      }
      expect(records().length).toBeGreaterThan(0);
      expect(strayNotes.length).toBeGreaterThan(0);

      const a = await TestApp.start(on({ LOAD_SAMPLE: 'false' }));
      try {
        await a.append(REGISTRY[1]!.type, REGISTRY[1]!.data);
        const size = (await a.store.readAll({ maxCount: 10_000 })).length;
        const latest = await a.get('/v1/audit/checkpoint');
        expect([latest.status, latest.body.size]).toEqual([200, size]);
        const served = await notesOf(a);
        expect(served).toContain(latest.body.note);
        for (const note of served) expect(strayNotes).not.toContain(note);
        const deadline = Date.now() + 30_000;
        let state: string | undefined;
        while ((state = (await a.get('/health')).body.checks?.audit?.state) !== 'ok') {
          if (Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(state).toBe('ok');
        // Healthy, but the stray records are named for an operator to look at.
        expect((await a.get('/health')).body.checks.audit.warning).toMatch(
          /record\(s\) of the checkpoint stream are not served/,
        );
      } finally {
        await a.close();
      }
    } finally {
      await fresh.stop();
    }
  });

  it.each([
    ['missing', {}, /AUDIT_SIGNING_KEY is required when EVENT_STORE=eventstoredb/],
    [
      'not a key',
      { AUDIT_SIGNING_KEY: 'not-a-signing-key' },
      /AUDIT_SIGNING_KEY is not a checkpoint signing key/,
    ],
  ])(
    'does not start on eventstoredb with AUDIT_SIGNING_KEY %s, naming the variable',
    async (_, extra, message) => {
      // In a process of its own, as an operator meets it: the start fails and the process exits 1
      // (in this process, the store's client opened before the failure would outlive the spec).
      const { AUDIT_SIGNING_KEY: _key, ...withoutKey } = env();
      const dir = mkdtempSync(join(tmpdir(), 'chronology-audit-key-'));
      const service = await ServiceProcess.spawn(dir, { ...withoutKey, ...extra });
      try {
        let timer: NodeJS.Timeout | undefined;
        const exit = await Promise.race([
          service.exited,
          new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), 60_000))),
        ]);
        clearTimeout(timer);
        expect(exit).toBe(1);
        expect(service.output).toMatch(message);
      } finally {
        await service.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
