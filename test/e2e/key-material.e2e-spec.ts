import { Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactData, type ExportLine } from '../../src/audit/audit-leaf';
import { runCli } from '../../src/cli/chronology';
import { REGISTRY } from '../fixtures/chronology.fixtures';
import { ADMIN_KEY, TestApp, waitUntil } from './harness';
import { SseReader } from './sse-client';

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const KEY_EVENT = /^(ApiKeyIssued|ApiKeyRevoked)$/;

describe('API key material stays out of what others can read', () => {
  let t: TestApp;
  let reader: { keyId: string; key: string };
  const readers: SseReader[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ AUDIT_CHECKPOINT_EVERY: '1' });
    reader = (await t.post('/v1/admin/keys', { name: 'desk', role: 'reader' })).body;
    const temp = (await t.post('/v1/admin/keys', { name: 'temp', role: 'editor' })).body;
    await t.request('DELETE', `/v1/admin/keys/${temp.keyId}`, { body: { reason: 'test' } });
    for (const e of REGISTRY.slice(0, 2)) await t.append(e.type, e.data);
  });
  afterAll(async () => {
    for (const r of readers) await r.close();
    await t.close();
  });

  /** The raw feed from the start of the log, read until a marker event appended now arrives. */
  async function rawFeed(key: string | null): Promise<Array<{ type: string; text: string }>> {
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    const feed = await SseReader.open(`${t.url}/v1/events/live?after=0`, { headers });
    readers.push(feed);
    expect(feed.status).toBe(200);
    const crisisId = `marker-${randomUUID().slice(0, 8)}`;
    await t.append('CrisisRegistered', { crisisId, name: 'marker' });
    await feed.waitFor((ms) => ms.some((m) => m.data.includes(crisisId)));
    await feed.close();
    return feed.messages.map((m) => ({ type: (JSON.parse(m.data) as { type: string }).type, text: m.data }));
  }

  it('the raw live feed sends no key event to an anonymous client or a reader key', async () => {
    for (const key of [null, reader.key]) {
      const messages = await rawFeed(key);
      expect(messages.length).toBeGreaterThan(2);
      expect(messages.filter((m) => KEY_EVENT.test(m.type))).toEqual([]);
      expect(messages.map((m) => m.text).join('\n')).not.toMatch(/keyHash|keyHmac/);
    }
  });

  it('admins see key events on the raw feed, carrying an HMAC and never a plain hash', async () => {
    const issued = (await rawFeed(ADMIN_KEY)).filter((m) => m.type === 'ApiKeyIssued');
    expect(issued).toHaveLength(3); // ADMIN_API_KEY, desk, temp
    for (const m of issued) {
      expect(m.text).toMatch(/"keyHmac":"[0-9a-f]{64}"/);
      expect(m.text).not.toContain('keyHash');
    }
  });

  it('the log stores no unsalted hash of any key, and principals reveal nothing of a key', async () => {
    const log = JSON.stringify(await t.store.readAll(), (_, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    for (const key of [ADMIN_KEY, reader.key]) {
      expect(log).not.toContain(sha256(key));
      expect(log).not.toContain(sha256(key).slice(0, 10));
    }
    const me = await t.get('/v1/me');
    expect(me.body.principal).toMatch(/^key:env-[0-9a-f]{12}$/);
    expect(me.body.principal).not.toContain(sha256(ADMIN_KEY).slice(0, 10));
  });

  it("the auditor's export gives key events' data only as its hash, and still verifies offline", async () => {
    const head = await t.head();
    await t.get(`/v1/timeline?minPosition=${head}`);
    const checkpoint = await t.get('/v1/audit/checkpoint');
    const res = await t.get('/v1/audit/log');
    expect(res.status).toBe(200);
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: Record<string, unknown> & { type: string } });
    const keyLines = lines.filter((l) => KEY_EVENT.test(l.event.type));
    expect(keyLines).toHaveLength(4); // three issued, one revoked
    for (const l of keyLines) {
      expect(l.event).toMatchObject({ redacted: true, dataSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(l.event.data).toBeUndefined();
    }
    expect(lines.some((l) => l.event.type === 'CrisisRegistered' && l.event.data)).toBe(true);

    const work = mkdtempSync(join(tmpdir(), 'chronology-keys-'));
    try {
      const file = join(work, 'log.ndjson');
      writeFileSync(file, res.text);
      writeFileSync(`${file}.checkpoint`, checkpoint.body.note);
      let out = '';
      const io = { out: (s: string) => (out += s), err: (s: string) => (out += s) };
      const args = ['verify', file, '--checkpoint', `${file}.checkpoint`];
      expect(await runCli([...args, '--public-key', checkpoint.body.publicKey], io)).toBe(0);
      expect(out).toContain('OK');
      expect(out).toContain("4 API key events carry their data's hash, not the data (redacted)");
      // Only key events may be redacted: another event without its data fails, though its hash matches.
      const hidden = res.text
        .trim()
        .split('\n')
        .map((text) => {
          const line = JSON.parse(text) as ExportLine;
          return JSON.stringify(
            line.event?.type === 'CrisisRegistered' ? { ...line, event: redactData(line.event) } : line,
          );
        })
        .join('\n');
      writeFileSync(file, `${hidden}\n`);
      out = '';
      expect(await runCli([...args, '--public-key', checkpoint.body.publicKey], io)).toBe(1);
      expect(out).toMatch(/withholds the data of this CrisisRegistered event/);
      // A redacted line whose hash was altered no longer verifies.
      const altered = res.text.replace(
        /"dataSha256":"([0-9a-f])/,
        (_, c: string) => `"dataSha256":"${c === '0' ? '1' : '0'}`,
      );
      writeFileSync(file, altered);
      expect(await runCli([...args, '--public-key', checkpoint.body.publicKey], io)).toBe(1);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('keys issued before keys were stored as an HMAC', () => {
  it('keep working, and the start names each one with the advice to rotate it', async () => {
    const legacyKey = `cc_${randomUUID()}`;
    let t = await TestApp.start();
    // What an older version wrote: schema version 1, the key's plain SHA-256.
    await t.store.append(
      'apikey-old-desk',
      [
        {
          id: randomUUID(),
          type: 'ApiKeyIssued',
          schemaVersion: 1,
          data: { keyId: 'old-desk', name: 'old desk', role: 'editor', keyHash: sha256(legacyKey) },
          metadata: { principal: 'system:bootstrap', correlationId: randomUUID(), causationId: null },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      t = await t.restart();
      const me = await t.get(`/v1/me?minPosition=${await t.head()}`, { key: legacyKey });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ principal: 'key:old-desk', role: 'editor' });
      const keys = (await t.get('/v1/admin/keys')).body.items as Array<{
        keyId: string;
        legacyDigest: boolean;
      }>;
      expect(keys.find((k) => k.keyId === 'old-desk')?.legacyDigest).toBe(true);
      expect(keys.filter((k) => k.legacyDigest)).toHaveLength(1);
      const warned = (): string[] =>
        warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('API key old-desk'));
      await waitUntil(() => warned().length > 0);
      expect(warned()).toHaveLength(1);
      expect(warned()[0]).toMatch(/rotate it.*DELETE \/v1\/admin\/keys\/old-desk/);

      // Revoked, it no longer works.
      await t.request('DELETE', '/v1/admin/keys/old-desk', { body: { reason: 'rotated' } });
      expect((await t.get('/v1/me', { key: legacyKey })).status).toBe(401);
    } finally {
      warn.mockRestore();
      await t.close();
    }
  });
});

describe('a lost API key secret', () => {
  it('is replaced, and the start names every key issued under the old one instead of failing silently', async () => {
    let t = await TestApp.start();
    const desk = (await t.post('/v1/admin/keys', { name: 'desk', role: 'editor' })).body;
    expect((await t.get('/v1/me', { key: desk.key })).status).toBe(200);
    await t.app.close();
    rmSync(join(t.dataDir, 'api-key.secret')); // e.g. a restore that skipped it
    const error = jest.spyOn(Logger.prototype, 'error');
    try {
      t = await TestApp.start({}, t.dataDir);
      const named = (): string[] =>
        error.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('under another API key secret'));
      await waitUntil(() => named().length > 0);
      expect(named()).toHaveLength(1);
      expect(named()[0]).toContain(desk.keyId);
      expect((await t.get('/v1/me', { key: desk.key })).status).toBe(401);
      expect((await t.get('/v1/me')).status).toBe(200); // ADMIN_API_KEY is installed under the new one
    } finally {
      error.mockRestore();
      await t.close();
    }
  });
});
