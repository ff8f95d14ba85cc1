import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, readPragma } from '../../src/shared/sqlite';
import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { ADMIN_KEY } from './harness';
import { ServiceProcess } from './service-process';

// quality.md reliability check 1: kill -9 during concurrent appends, restart, again and again.
const ROUNDS = 6;
const WRITERS = 8;

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

/** A batch through the bulk path: the items it acknowledged (an answer that never came acknowledged none). */
const postBatch = async (url: string, items: unknown[]): Promise<Array<{ id: string; position: string }>> => {
  try {
    const res = await fetch(`${url}/v1/events/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (res.status !== 200) return [];
    const answer = (await res.json()) as { items: Array<{ status: number; id: string; position: string }> };
    return answer.items.filter((i) => i.status === 201 || i.status === 200);
  } catch {
    return [];
  }
};

describe('kill -9 during concurrent appends', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'chronology-kill-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged event, moves none, and leaves consistent files', async () => {
    const acknowledged = new Map<string, string>(); // event id -> position
    let n = 0;
    let bulkAcknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts on the data dir the previous one held when it was killed.
      const service = await ServiceProcess.start(dir);
      const url = service.url;
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
      // One writer more, through the bulk path: batches of 50 reports and a follow-up on each.
      const bulk = (async () => {
        while (!killed) {
          const batch = Array.from({ length: 25 }, (_, k) => {
            const i = n++;
            return [
              {
                ref: `r${k}`,
                type: 'StatementMade',
                data: reportBase(1 + (i % 28), { summary: `bulk ${i}` }),
              },
              { type: 'EntryCorroborated', data: { entryId: `@r${k}`, sourceId: 'reuters' } },
            ];
          }).flat();
          for (const ack of await postBatch(url, batch)) {
            acknowledged.set(ack.id, ack.position);
            bulkAcknowledged++;
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
      killed = true;
      await service.kill();
      await Promise.all([...writers, bulk]);
    }

    const service = await ServiceProcess.start(dir); // recovery, then every check on what it serves
    const url = service.url;
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
      expect(bulkAcknowledged).toBeGreaterThan(ROUNDS * 50); // the bulk path's batches count too
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
      await service.kill();
    }
  }, 180_000);
});
