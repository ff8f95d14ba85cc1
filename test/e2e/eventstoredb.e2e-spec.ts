import { EventStoreDbTestServer, type TestServerOptions } from '../eventstoredb/eventstoredb-test-server';
import { TestApp } from './harness';
import { SseReader } from './sse-client';

/** Fields that differ between two stores by nature: where and when (recordedAt, registeredAt…) each event landed. */
const comparable = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, v: unknown) =>
    key === 'position' || /[a-z]At$/.test(key) ? undefined : v,
  );

/**
 * The HTTP API on the eventstoredb driver: the real client over gRPC to the test server, as a node
 * without append sessions (EventStoreDB up to 24.10: claim, then event) and as KurrentDB 25.1 (one
 * session per append).
 */
const NODES: Array<[string, TestServerOptions]> = [
  ['EventStoreDB 24.10', {}],
  ['KurrentDB 25.1, append sessions', { appendSession: true }],
];

describe.each(NODES)('the service on EVENT_STORE=eventstoredb (%s)', (_node, nodeOptions) => {
  jest.setTimeout(60_000);
  let server: EventStoreDbTestServer;
  const env = (): Record<string, string> => ({
    EVENT_STORE: 'eventstoredb',
    EVENTSTORE_CONNECTION_STRING: server.connectionString,
    // Shared by every instance of a deployment: each keeps its own data dir.
    API_KEY_SECRET: 'e2e-secret-4fQ9zL2xW7mR8pK3vN6tY1bH',
    AUDIT_SIGNING_KEY:
      'PRIVATE+KEY+crisis-chronology.local/log+6636460b+AX93Q5TXRYYM1N+m6saqylT1HvD2DhZaN5CwXa2/v0aC',
  });

  beforeAll(async () => {
    server = await EventStoreDbTestServer.start(nodeOptions);
  });
  afterAll(() => server.stop());

  it('loads the sample chronology and serves the same timeline, actor view and sources as on SQLite', async () => {
    const esdb = await TestApp.start({ ...env(), LOAD_SAMPLE: 'true' });
    const sqlite = await TestApp.start({ LOAD_SAMPLE: 'true' });
    try {
      const read = async (t: TestApp, path: string): Promise<any> => {
        const res = await t.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${await t.head()}`);
        expect(res.status).toBe(200);
        return res.body;
      };
      const a = await read(esdb, '/v1/timeline?limit=200');
      const b = await read(sqlite, '/v1/timeline?limit=200');
      expect(a.items.length).toBeGreaterThan(20);
      expect(a.items[0].position).toMatch(/^\d+(-\d+)?$/);
      expect(comparable(a.items)).toEqual(comparable(b.items));
      for (const path of ['/v1/actors/russia?includeMembers=true', '/v1/sources']) {
        expect(comparable(await read(esdb, path))).toEqual(comparable(await read(sqlite, path)));
      }
      expect((await esdb.get('/v1/audit/verify')).body.ok).toBe(true);
      // The sample went in as one session per append on 25.1, and as claim + event before.
      const sessions = server.calls.get('appendSession') ?? 0;
      if (nodeOptions.appendSession) expect(sessions).toBeGreaterThanOrEqual(a.items.length);
      else expect(sessions).toBe(0);
    } finally {
      await esdb.close();
      await sqlite.close();
    }
  });

  it('two instances on one store: a write on one is readable on the other with minPosition', async () => {
    const a = await TestApp.start(env());
    const b = await TestApp.start(env());
    try {
      for (let i = 0; i < 5; i++) {
        const actorId = `instance-test-${i}`;
        const posted = await a.append('ActorRegistered', { actorId, name: `Instance ${i}`, kind: 'state' });
        const read = await b.get(`/v1/actors/${actorId}?minPosition=${posted.position}`);
        expect(read.status).toBe(200);
        expect(read.body.name).toBe(`Instance ${i}`);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('answers 503 problem+json while the store is down, shows it in /health/ready, and recovers', async () => {
    const t = await TestApp.start(env());
    try {
      await t.append('ActorRegistered', { actorId: 'before-outage', name: 'Before', kind: 'state' });
      await server.stop();
      const refused = await t.post('/v1/events', {
        type: 'ActorRegistered',
        data: { actorId: 'during-outage', name: 'During', kind: 'state' },
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect((await t.get('/health/ready')).status).toBe(503);
      await server.start();
      let posted: any = null;
      for (let i = 0; i < 50 && !posted; i++) {
        const res = await t.post('/v1/events', {
          type: 'ActorRegistered',
          data: { actorId: 'after-outage', name: 'After', kind: 'state' },
        });
        if (res.status === 201) posted = res.body;
        else await new Promise((r) => setTimeout(r, 200));
      }
      expect(posted).not.toBeNull();
      expect((await t.get(`/v1/actors/after-outage?minPosition=${posted.position}`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('starts while the store is unreachable (not ready, 503 on writes) and serves once it is back', async () => {
    await server.stop();
    const t = await TestApp.start(env());
    try {
      expect((await t.get('/health/ready', { key: null })).status).toBe(503);
      // Nothing can be written (the admin key itself is installed only once the store is back).
      const refused = await t.post('/v1/events', {
        type: 'ActorRegistered',
        data: { actorId: 'unreachable-at-start', name: 'Later', kind: 'state' },
      });
      expect([401, 503]).toContain(refused.status);
      await server.start();
      let status = 0;
      for (let i = 0; i < 60 && status !== 201; i++) {
        await new Promise((r) => setTimeout(r, 250));
        status = (
          await t.post('/v1/events', {
            type: 'ActorRegistered',
            data: { actorId: 'unreachable-at-start', name: 'Later', kind: 'state' },
          })
        ).status;
      }
      expect(status).toBe(201);
      expect((await t.get('/health/ready', { key: null })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it("live feeds: ids are the store's commit/prepare positions, and a resume continues with no gap", async () => {
    const t = await TestApp.start(env());
    try {
      await t.get(`/v1/timeline?minPosition=${await t.head()}`); // caught up with what earlier tests wrote
      const feed = await SseReader.open(`${t.url}/v1/events/live`);
      const positions: string[] = [];
      for (let i = 0; i < 6; i++) {
        positions.push(
          (await t.append('ActorRegistered', { actorId: `live-${i}`, name: `Live ${i}`, kind: 'state' }))
            .position,
        );
      }
      await feed.waitFor((m) => m.length >= 6);
      expect(feed.messages.map((m) => m.id)).toEqual(positions);
      await feed.close();
      const resumed = await SseReader.open(`${t.url}/v1/events/live`, { lastEventId: positions[2] });
      positions.push(
        (await t.append('ActorRegistered', { actorId: 'live-6', name: 'Live 6', kind: 'state' })).position,
      );
      await resumed.waitFor((m) => m.length >= 4);
      expect(resumed.messages.map((m) => m.id)).toEqual(positions.slice(3));
      await resumed.close();
    } finally {
      await t.close();
    }
  });
});
