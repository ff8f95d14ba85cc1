import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/chronology';
import { openSqlite, type SqliteDatabase } from '../../src/shared/sqlite';
import { TestApp } from './harness';

type Tamper = (db: SqliteDatabase, total: number) => number;

interface EventRow {
  position: number;
  event_id: string;
  stream: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  content_hash: string;
}

const insert = (db: SqliteDatabase, row: EventRow): void => {
  db.prepare(
    `INSERT INTO events (position, event_id, stream, revision, type, schema_version, data, metadata, content_hash)
     VALUES (@position, @event_id, @stream, @revision, @type, @schema_version, @data, @metadata, @content_hash)`,
  ).run(row);
};
const rowAt = (db: SqliteDatabase, position: number): EventRow =>
  db.prepare('SELECT * FROM events WHERE position = ?').get(position) as EventRow;

/** Each tampering returns the first position that must be named. */
const TAMPERINGS: Record<string, Tamper> = {
  'change one byte of an event’s data': (db) => {
    const row = rowAt(db, 30);
    // One letter inside a string value, so the row still parses: only the content is false.
    const i = row.data.search(/:"[a-z]/) + 2;
    const changed = row.data.slice(0, i) + (row.data[i] === 'x' ? 'y' : 'x') + row.data.slice(i + 1);
    db.prepare('UPDATE events SET data = ? WHERE position = 30').run(changed);
    return 30;
  },
  'swap two rows': (db) => {
    const a = rowAt(db, 25);
    const b = rowAt(db, 40);
    db.prepare('DELETE FROM events WHERE position IN (25, 40)').run();
    insert(db, { ...b, position: 25 });
    insert(db, { ...a, position: 40 });
    return 25;
  },
  'delete a middle row': (db) => {
    db.prepare('DELETE FROM events WHERE position = 33').run();
    return 33;
  },
  'truncate the tail': (db, total) => {
    db.prepare('DELETE FROM events WHERE position > ?').run(total - 5);
    return total - 4;
  },
  're-append after truncation': (db, total) => {
    const last = rowAt(db, total);
    db.prepare('DELETE FROM events WHERE position > ?').run(total - 3);
    for (let p = total - 2; p <= total; p++) {
      insert(db, {
        ...last,
        position: p,
        event_id: `00000000-0000-4000-8000-00000000000${p % 10}`,
        stream: `entry-forged-${p}`,
        revision: 0,
      });
    }
    return total - 2;
  },
};

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
    const db = openSqlite(join(first.t.dataDir, 'events.db'), { synchronous: 'NORMAL' });
    db.exec('DROP TRIGGER events_are_append_only_update; DROP TRIGGER events_are_append_only_delete;');
    const bad = TAMPERINGS[name]!(db, total);
    db.close();

    const t = await TestApp.start({ LOAD_SAMPLE: 'true' }, first.t.dataDir);
    try {
      const verify = await t.get('/v1/audit/verify');
      expect(verify.status).toBe(200);
      expect(verify.body.ok).toBe(false);
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
    const db = openSqlite(join(first.t.dataDir, 'events.db'), { synchronous: 'NORMAL' });
    db.exec('DROP TRIGGER events_are_append_only_update; DROP TRIGGER events_are_append_only_delete;');
    TAMPERINGS['change one byte of an event’s data']!(db, first.total);
    db.close();
    rmSync(join(first.t.dataDir, 'read-models.db')); // the read models are disposable: rebuilt from the (tampered) log
    const t = await TestApp.start({ LOAD_SAMPLE: 'true' }, first.t.dataDir);
    try {
      await t.get(`/v1/timeline?minPosition=${first.total}`);
      const verify = await t.get('/v1/audit/verify');
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
