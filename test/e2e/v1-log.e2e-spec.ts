import { Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { readV1Log, V1_ADMIN_KEY, V1_REVOKED_KEY } from '../fixtures/v1-log';
import { TestApp, waitUntil } from './harness';
import { SseReader } from './sse-client';

/**
 * A data dir whose log an older version wrote, served by this one from empty read models. The
 * expected values are what that older version served for the same log (read off its API).
 */
describe('a log written before stored events were typed', () => {
  let t: TestApp;
  const admin = { key: V1_ADMIN_KEY };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chronology-v1-'));
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    for (const e of readV1Log()) {
      await store.append(
        e.stream,
        [{ id: e.id, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata }],
        { expectedRevision: e.revision === 0n ? 'no_stream' : e.revision - 1n },
      );
    }
    await store.close();
    // No ADMIN_API_KEY: the old admin key can only be found through the row its old event left.
    t = await TestApp.start({ ADMIN_API_KEY: '' }, dir);
    // Anonymous (public reads): keys are known only once the read models have caught up.
    const caughtUp = await t.get(`/v1/crises?minPosition=${await t.head()}`, { key: null });
    expect(caughtUp.status).toBe(200);
  });
  afterAll(() => t.close());

  it('serves the same timeline as the version that wrote it', async () => {
    const res = await t.get('/v1/timeline?limit=200', admin);
    expect(res.status).toBe(200);
    const statuses: Record<string, number> = {};
    for (const item of res.body.items as Array<{ status: string }>)
      statuses[item.status] = (statuses[item.status] ?? 0) + 1;
    expect(res.body.items).toHaveLength(29);
    expect(statuses).toEqual({ reported: 24, disputed: 4, retracted: 1 });

    const expelled = await t.get('/v1/entries/82db5696-3e4d-5641-83f8-4ed371cca569', admin);
    expect(expelled.body).toMatchObject({ status: 'retracted', quote: 'an escalatory step' });
    expect(expelled.body.history.map((h: { type: string }) => h.type)).toEqual([
      'DiplomatExpelled',
      'EntryCorrected',
      'EntryRetracted',
    ]);
    const withdrawal = await t.get('/v1/entries/a46da07f-0d04-5763-a4fa-cc3eff47ba8e', admin);
    expect(withdrawal.body.status).toBe('disputed');
    const zakharova = await t.get('/v1/actors/maria-zakharova', admin);
    expect(zakharova.body.name).toBe('Maria V. Zakharova');
    expect((await t.get('/v1/actors/russia', admin)).body.aliases).toContain('RF');
  });

  it('keeps the keys it issued: the admin key works by its old digest, the revoked one does not', async () => {
    const me = await t.get('/v1/me', admin);
    expect(me.body).toMatchObject({ principal: 'key:env-3825f527d5', role: 'admin' });
    expect((await t.get('/v1/me', { key: V1_REVOKED_KEY })).status).toBe(401);
    const keys = (await t.get('/v1/admin/keys', admin)).body.items as Array<{
      keyId: string;
      legacyDigest: boolean;
    }>;
    expect(keys.filter((k) => k.legacyDigest).map((k) => k.keyId)).toEqual(['env-3825f527d5', '1d11744551']);
  });

  it('audits the events as stored: verify passes, and admins get them as stored on the raw feed', async () => {
    const verify = await t.get('/v1/audit/verify', admin);
    expect(verify.body).toMatchObject({ ok: true, firstBad: null, treeProblem: null });
    expect(verify.body.checked).toBeGreaterThanOrEqual(67);
    const feed = await SseReader.open(`${t.url}/v1/events/live?after=0`, {
      headers: { authorization: `Bearer ${V1_ADMIN_KEY}` },
    });
    try {
      await feed.waitFor((ms) => ms.length >= 67);
      const first = JSON.parse(feed.messages[0]!.data) as {
        type: string;
        schemaVersion: number;
        data: object;
      };
      expect(first).toMatchObject({ type: 'ApiKeyIssued', schemaVersion: 1 });
      expect(first.data).toHaveProperty('keyHash');
    } finally {
      await feed.close();
    }
  });

  it('with the same ADMIN_API_KEY kept across the upgrade: says it is exposed, and revoking its old row revokes it', async () => {
    const error = jest.spyOn(Logger.prototype, 'error');
    try {
      t = await t.restart({ ADMIN_API_KEY: V1_ADMIN_KEY });
      await t.get(`/v1/crises?minPosition=${await t.head()}`, { key: null });
      const said = (): string[] =>
        error.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('ADMIN_API_KEY is the key'));
      await waitUntil(() => said().length > 0);
      expect(said()[0]).toMatch(/env-3825f527d5.*set ADMIN_API_KEY to a new random value/);
      expect((await t.get('/v1/me', admin)).status).toBe(200);
      const revoked = await t.request('DELETE', '/v1/admin/keys/env-3825f527d5', {
        ...admin,
        body: { reason: 'exposed' },
      });
      expect(revoked.status).toBe(200);
      // The key is revoked, not a row of it: the row ADMIN_API_KEY installed under the new secret too.
      expect((await t.get('/v1/me', admin)).status).toBe(401);
    } finally {
      error.mockRestore();
    }
  });
});
