import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CRISIS, REGISTRY, REPORTS } from '../fixtures/chronology.fixtures';
import { ADMIN_KEY, TestApp } from './harness';
import { ServiceProcess } from './service-process';

/** Reports in the log: enough that catching them up takes seconds on any machine this runs on. */
const REPORT_COUNT = 10_000;

interface Answer {
  readonly status: number;
  readonly body: any;
  readonly retryAfter: string | null;
}

async function call(
  url: string,
  init: { key?: string; method?: string; body?: unknown } = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.key ?? ADMIN_KEY}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : null,
    retryAfter: res.headers.get('retry-after'),
  };
}

const STRANGER = 'no-such-key-0123456789abcdef';

describe('a restart on empty read models with a long log', () => {
  let dir = '';
  let entries = 0;
  /** A key issued at the start of the log and revoked at its end. */
  let revokedKey = '';

  beforeAll(async () => {
    const t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    const issued = await t.post('/v1/admin/keys', { name: 'revoked at the end', role: 'reader' });
    revokedKey = issued.body.key;
    let next = 0;
    const poster = async (): Promise<void> => {
      while (next < REPORT_COUNT) {
        const n = next++;
        const r = REPORTS[n % REPORTS.length]!;
        await t.append(r.type, { ...r.data, summary: `report ${n}` });
      }
    };
    await Promise.all(Array.from({ length: 16 }, poster));
    expect((await t.request('DELETE', `/v1/admin/keys/${issued.body.keyId}`)).status).toBe(200);
    entries = (await t.get(`/v1/crises?minPosition=${await t.head()}`)).body.items[0].entries;
    expect(entries).toBe(REPORT_COUNT);
    dir = t.dataDir;
    await t.close({ keepData: true });
    for (const f of ['read-models.db', 'read-models.db-wal', 'read-models.db-shm']) {
      rmSync(join(dir, f), { force: true });
    }
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('listens while it catches up: /health shows progress, reads and unknown keys answer 503 not_ready, writes work', async () => {
    const service = await ServiceProcess.spawn(dir, { LOG_LEVEL: 'log' });
    const deadline = Date.now() + 240_000;
    try {
      while ((await call(`${service.url}/health`).catch(() => null)) === null) {
        if (service.child.exitCode !== null) throw new Error(`the service exited:\n${service.output}`);
        if (Date.now() > deadline) throw new Error(`the service did not listen:\n${service.output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const during = {
        health: 0,
        progress: [] as number[],
        answers: [] as Answer[],
        revoked: [] as Answer[],
      };
      const writes: Answer[] = [];
      for (;;) {
        const read = await call(`${service.url}/v1/timeline?crisis=${CRISIS}`);
        const stranger = await call(`${service.url}/v1/timeline`, { key: STRANGER });
        const revoked = await call(`${service.url}/v1/timeline`, { key: revokedKey });
        const summary = `written while catching up ${writes.length}`;
        writes.push(
          await call(`${service.url}/v1/events`, {
            method: 'POST',
            body: { ...REPORTS[0]!, data: { ...REPORTS[0]!.data, summary } },
          }),
        );
        expect(revoked.status).not.toBe(200); // whether or not its revocation was read yet
        const health = await call(`${service.url}/health`);
        expect(health.status).toBe(200);
        const p = health.body.projections;
        if (p.state === 'failed') throw new Error(`the projections failed: ${p.error}`);
        if (p.caughtUp) break;
        if (Date.now() > deadline) throw new Error('still catching up after 4 minutes');
        // Everything above was answered while catching up (caughtUp never goes back to false).
        during.health += 1;
        if (p.catchUp) during.progress.push(p.catchUp.events);
        during.answers.push(read, stranger);
        during.revoked.push(revoked);
      }

      // /health answered all along: the event loop turns between batches.
      expect(during.health).toBeGreaterThanOrEqual(3);
      expect(Math.max(...during.progress)).toBeGreaterThan(0);
      // Never an answer from a partial read model, never a 401 for a key not read yet.
      for (const answer of during.answers) {
        expect(answer).toMatchObject({ status: 503, retryAfter: expect.any(String) });
        expect(answer.body.type).toMatch(/not_ready$/);
      }
      // A key whose revocation was not read yet is checked against the log.
      expect(during.revoked.every((a) => a.status === 401 || a.status === 503)).toBe(true);
      expect(during.revoked.some((a) => a.status === 401)).toBe(true);
      // The admin key is among the first events applied: writes go through the write side at once.
      const written = writes.filter((w) => w.status === 201);
      expect(written.length).toBeGreaterThan(0);
      expect(writes.every((w) => w.status === 201 || w.status === 503)).toBe(true);

      const crises = await call(`${service.url}/v1/crises?minPosition=${written.at(-1)!.body.position}`);
      expect(crises.body.items[0].entries).toBe(entries + written.length);
      expect((await call(`${service.url}/v1/timeline`, { key: STRANGER })).status).toBe(401);
      expect((await call(`${service.url}/v1/timeline`, { key: revokedKey })).status).toBe(401);
      expect(service.output).toMatch(/caught up at position/);
    } finally {
      await service.kill();
    }
  }, 300_000);
});
