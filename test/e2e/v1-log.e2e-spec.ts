import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { readV1Log, V1_ADMIN_KEY, V1_REVOKED_KEY } from '../fixtures/v1-log';
import { TestApp } from './harness';

/**
 * A data dir whose log an older version wrote, served by this one from empty read models. The
 * expected values are what that older version served for the same log (read off its API).
 */
describe('a log written before stored events were typed', () => {
  let t: TestApp;

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
    t = await TestApp.start({ ADMIN_API_KEY: V1_ADMIN_KEY }, dir);
    // Anonymous (public reads): keys are known only once the read models have caught up.
    const caughtUp = await t.get(`/v1/crises?minPosition=${await t.head()}`, { key: null });
    expect(caughtUp.status).toBe(200);
  });
  const admin = { key: V1_ADMIN_KEY };
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

  it('keeps the keys it issued: the admin key works, the revoked one does not, and both are marked legacy', async () => {
    expect((await t.get('/v1/me', { key: V1_ADMIN_KEY })).status).toBe(200);
    expect((await t.get('/v1/me', { key: V1_REVOKED_KEY })).status).toBe(401);
    const keys = (await t.get('/v1/admin/keys', admin)).body.items as Array<{
      keyId: string;
      legacyDigest: boolean;
    }>;
    expect(keys.filter((k) => k.legacyDigest).map((k) => k.keyId)).toEqual(['env-3825f527d5', '1d11744551']);
  });
});
