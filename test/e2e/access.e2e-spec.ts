import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

describe('API keys and roles', () => {
  let t: TestApp;
  const keys: Record<string, { keyId: string; key: string }> = {};
  let entryId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    entryId = (await t.append('StatementMade', reportBase(3))).entryId;
    for (const role of ['reader', 'contributor', 'editor', 'auditor']) {
      const res = await t.post('/v1/admin/keys', { name: `${role} key`, role });
      expect(res.status).toBe(201);
      expect(res.body.key).toMatch(/^cc_/);
      keys[role] = res.body;
    }
  });
  afterAll(() => t.close());

  const report = { type: 'StatementMade', data: reportBase(4) };
  const followUp = () => ({
    type: 'CredibilityAssessed',
    data: { entryId, credibility: 3, rationale: 'possibly true' },
  });

  it('lets each role do exactly what it may', async () => {
    const as = (role: string) => keys[role]!.key;
    expect((await t.get('/v1/timeline', { key: as('reader') })).status).toBe(200);
    expect((await t.post('/v1/events', report, { key: as('reader') })).status).toBe(403);
    expect((await t.post('/v1/events', report, { key: as('contributor') })).status).toBe(201);
    const forbidden = await t.post('/v1/events', followUp(), { key: as('contributor') });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toMatch(/needs edit/);
    expect((await t.post('/v1/events', followUp(), { key: as('editor') })).status).toBe(201);
    expect(
      (
        await t.post(
          '/v1/events',
          { type: 'SourceRegistered', data: { sourceId: 'bbc', name: 'BBC', kind: 'outlet' } },
          { key: as('auditor') },
        )
      ).status,
    ).toBe(403);
    expect((await t.get('/v1/admin/keys', { key: as('editor') })).status).toBe(403);
  });

  it('records the authenticated key as the principal, never anything from the body', async () => {
    const res = await t.post(
      '/v1/events',
      { ...report, data: reportBase(5) },
      { key: keys.contributor!.key },
    );
    const entry = await t.get(`/v1/entries/${res.body.entryId}?minPosition=${res.body.position}`);
    expect(entry.body.history[0].principal).toBe(`key:${keys.contributor!.keyId}`);
    const me = await t.get('/v1/me', { key: keys.contributor!.key });
    expect(me.body).toMatchObject({ principal: `key:${keys.contributor!.keyId}`, role: 'contributor' });
  });

  it('refuses a revoked key with 401 from then on', async () => {
    const issued = await t.post('/v1/admin/keys', { name: 'temp', role: 'editor' });
    expect((await t.get('/v1/me', { key: issued.body.key })).status).toBe(200);
    const revoked = await t.request('DELETE', `/v1/admin/keys/${issued.body.keyId}`, {
      body: { reason: 'left the team' },
    });
    expect(revoked.status).toBe(200);
    const res = await t.get('/v1/me', { key: issued.body.key });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/revoked/);
    const list = await t.get('/v1/admin/keys');
    expect(list.body.items.find((k: any) => k.keyId === issued.body.keyId).revokedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toMatch(/cc_|keyHash/);
  });

  it('validates key requests', async () => {
    const res = await t.post('/v1/admin/keys', { name: '', role: 'superuser' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual(['name', 'role']);
  });
});

describe('private reads (PUBLIC_READS=false)', () => {
  it('needs a key for every read', async () => {
    const t = await TestApp.start({ PUBLIC_READS: 'false' });
    try {
      expect((await t.get('/v1/timeline', { key: null })).status).toBe(401);
      expect((await t.get('/v1/timeline')).status).toBe(200);
      expect((await t.get('/health', { key: null })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
