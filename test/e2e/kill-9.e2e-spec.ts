import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqlite, readPragma } from '../../src/shared/sqlite';
import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { ADMIN_KEY } from './harness';

// quality.md reliability check 1: kill -9 during concurrent appends, restart, again and again.
const ROUNDS = 6;
const WRITERS = 8;
const ROOT = resolve(__dirname, '..', '..');

const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

/** The service in its own process (from the TypeScript sources), ready to serve. */
async function startService(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', join(__dirname, 'ts-hook.cjs'), join(ROOT, 'src', 'main.ts')],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOAD_SAMPLE: 'false',
        ADMIN_API_KEY: ADMIN_KEY,
        LOG_LEVEL: 'error',
      },
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service not ready: ${stderr}`);
}

const post = async (url: string, body: unknown): Promise<{ id: string; position: string } | null> => {
  try {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201 && res.status !== 200) return null;
    return (await res.json()) as { id: string; position: string };
  } catch {
    return null; // killed mid-request: not acknowledged
  }
};

describe('kill -9 during concurrent appends', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'chronology-kill-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged event, moves none, and leaves consistent files', async () => {
    const acknowledged = new Map<string, string>(); // event id -> position
    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { child, url } = await startService(dir);
      const exited = new Promise((r) => child.once('exit', r));
      if (round === 0) {
        for (const e of REGISTRY) {
          const ack = await post(url, e);
          if (!ack) throw new Error(`could not register ${e.type}`);
          acknowledged.set(ack.id, ack.position);
        }
      }
      let killed = false;
      const writers = Array.from({ length: WRITERS }, async () => {
        while (!killed) {
          const i = n++;
          const ack = await post(url, {
            type: 'StatementMade',
            data: reportBase(1 + (i % 28), { summary: `round ${round}, statement ${i}` }),
          });
          if (ack) acknowledged.set(ack.id, ack.position);
        }
      });
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
      killed = true;
      child.kill('SIGKILL');
      await Promise.all([exited, ...writers]);
    }

    const { child, url } = await startService(dir); // recovery, then every check on what it serves
    try {
      const events = openSqlite(join(dir, 'events.db'), { synchronous: 'NORMAL', readonly: true });
      const rows = events
        .prepare('SELECT event_id AS id, position FROM events ORDER BY position')
        .all() as Array<{ id: string; position: number }>;
      expect(readPragma(events, 'integrity_check')).toBe('ok');
      events.close();
      const stored = new Map(rows.map((r) => [r.id, String(r.position)]));
      const lost = [...acknowledged].filter(([id, position]) => stored.get(id) !== position);
      expect(lost).toEqual([]);
      expect(acknowledged.size).toBeGreaterThan(ROUNDS * 10);
      expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1)); // contiguous
      expect(stored.size).toBe(rows.length); // no duplicate ids

      const health = (await (await fetch(`${url}/health`)).json()) as { projections: { position: string } };
      expect(health.projections.position).toBe(String(rows.length));
      const reads = openSqlite(join(dir, 'read-models.db'), { synchronous: 'NORMAL', readonly: true });
      expect(readPragma(reads, 'integrity_check')).toBe('ok');
      reads.close();
      const verify = await fetch(`${url}/v1/audit/verify`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(await verify.json()).toMatchObject({ ok: true });
    } finally {
      child.kill('SIGKILL');
    }
  }, 180_000);
});
