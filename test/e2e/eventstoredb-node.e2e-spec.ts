import { randomUUID } from 'node:crypto';
import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { EventStoreDbTestServer } from '../eventstoredb/eventstoredb-test-server';
import type { AppendFault } from '../eventstoredb/node-faults';
import { EventIdClaims } from '../../src/event-store/eventstoredb/eventstoredb-idempotency';
import { TestApp } from './harness';

/**
 * The findings of issue 19, through the HTTP API on the eventstoredb driver, against a test server
 * that answers as a real node does (lower-case ids, its append limit, uncertain commits).
 */
describe('the service on EVENT_STORE=eventstoredb when the node answers as a real one', () => {
  jest.setTimeout(60_000);
  let server: EventStoreDbTestServer;
  let leader: EventStoreDbTestServer;
  let t: TestApp;

  beforeAll(async () => {
    // A node configured with a 4 KiB MaxAppendSize, so that a valid request can exceed it.
    server = await EventStoreDbTestServer.start({ maxAppendSize: 4096 });
    leader = await EventStoreDbTestServer.start({ log: server.log });
    t = await TestApp.start({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: `${server.connectionString}&defaultDeadline=2000`,
      API_KEY_SECRET: 'e2e-secret-4fQ9zL2xW7mR8pK3vN6tY1bH',
      AUDIT_SIGNING_KEY:
        'PRIVATE+KEY+crisis-chronology.local/log+6636460b+AX93Q5TXRYYM1N+m6saqylT1HvD2DhZaN5CwXa2/v0aC',
    });
    for (const e of REGISTRY) await t.append(e.type, e.data);
  });
  afterAll(async () => {
    await t.close();
    await server.stop();
    await leader.stop();
  });
  afterEach(() => {
    server.faults.clear();
    leader.faults.clear();
  });

  const copies = (id: string): number => server.log.all.filter((r) => r.id === id.toLowerCase()).length;
  const actor = (actorId: string, extra: Record<string, unknown> = {}) => ({
    type: 'ActorRegistered',
    data: { actorId, name: `Actor ${actorId}`, kind: 'state', ...extra },
  });

  it('an upper-case event id posted three times: 201, 200, 200 and one stored copy', async () => {
    const id = randomUUID().toUpperCase();
    const body = { id, type: 'StatementMade', data: reportBase(1) };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.post('/v1/events', body)).status);
    expect(statuses).toEqual([201, 200, 200]);
    expect(copies(id)).toBe(1);
  });

  it('an upper-case id on an event decided on its stream: 201, 200, 200, one copy, answered in lower case', async () => {
    const id = randomUUID().toUpperCase();
    const body = { id, ...actor('upper-case-id') };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await t.post('/v1/events', body));
    expect(answers.map((a) => a.status)).toEqual([201, 200, 200]);
    expect(answers.map((a) => a.body.id)).toEqual([id, id, id].map((x) => x.toLowerCase()));
    expect(copies(id)).toBe(1);
  });

  it('a report stored under an upper-case id before ids were lower-cased: retries in any case land on its entry', async () => {
    const id = randomUUID().toUpperCase();
    const body = { id, type: 'StatementMade', data: reportBase(2) };
    // Before the change the service used the id as sent (the entry derives from it) and the
    // adapter named the claim with it: both are put back for the first POST only.
    const asSent = jest.spyOn(t.store, 'storedEventId').mockImplementation((sent) => Promise.resolve(sent));
    const claims = EventIdClaims.prototype as unknown as { claimStreamOf(id: string): Promise<string> };
    const oldClaims = jest
      .spyOn(claims, 'claimStreamOf')
      .mockImplementation((i) => Promise.resolve(`evid-${i}`));
    const original = await t.post('/v1/events', body);
    asSent.mockRestore();
    oldClaims.mockRestore();
    expect(original.status).toBe(201);
    for (const form of [id, id.toLowerCase()]) {
      const retry = await t.post('/v1/events', { ...body, id: form });
      expect([retry.status, retry.body.entryId, retry.body.id]).toEqual([200, original.body.entryId, id]);
    }
    expect(copies(id)).toBe(1);
  });

  it('an event over the maximum append size: 413 problem+json naming the limit, nothing stored', async () => {
    const id = randomUUID();
    const aliases = Array.from({ length: 20 }, (_, i) => `alias ${i} ${'a'.repeat(180)}`);
    const res = await t.post('/v1/events', { id, ...actor('too-large', { aliases }) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toContain('maximum append size of 4096 bytes');
    expect(copies(id)).toBe(0);
  });

  const uncertain: Array<[string, () => AppendFault]> = [
    ['a commit timeout after the write', () => ({ kind: 'commit-timeout', written: true })],
    ['a commit timeout before the write', () => ({ kind: 'commit-timeout', written: false })],
    ['a deadline after the write', () => ({ kind: 'deadline', written: true })],
    ['NotLeader', () => ({ kind: 'not-leader', leader: { host: '127.0.0.1', port: leader.port } })],
  ];
  it.each(uncertain)('%s during a POST: 201, one stored copy, and a retry is a 200', async (name, fault) => {
    const actorId = `uncertain-${name.replace(/\W+/g, '-').toLowerCase()}`;
    const body = { id: randomUUID(), ...actor(actorId) };
    server.faults.failAppends(fault(), { stream: (s) => s === `actor-${actorId}` });
    const res = await t.post('/v1/events', body);
    expect(res.status).toBe(201);
    expect(copies(body.id)).toBe(1);
    expect((await t.post('/v1/events', body)).status).toBe(200);
    expect(copies(body.id)).toBe(1);
  });

  it('no confirmation in any attempt: 503 problem+json with Retry-After; the same POST later stores once', async () => {
    const body = { id: randomUUID(), ...actor('never-confirmed') };
    const fault: AppendFault = { kind: 'commit-timeout', written: false };
    const options = { stream: (s: string) => s === 'actor-never-confirmed', times: 1000 };
    server.faults.failAppends(fault, options);
    leader.faults.failAppends(fault, options);
    const refused = await t.post('/v1/events', body);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(copies(body.id)).toBe(0);
    server.faults.clear();
    leader.faults.clear();
    expect((await t.post('/v1/events', body)).status).toBe(201);
    expect(copies(body.id)).toBe(1);
  });
});

describe('the service on SQLite with upper-case event ids', () => {
  it('stores them in lower case and answers a retry in any case from the stored event', async () => {
    const t = await TestApp.start();
    try {
      const id = randomUUID().toUpperCase();
      const body = {
        id,
        type: 'ActorRegistered',
        data: { actorId: 'upper-sqlite', name: 'Upper', kind: 'state' },
      };
      const answers = [];
      for (const form of [id, id, id.toLowerCase()])
        answers.push(await t.post('/v1/events', { ...body, id: form }));
      expect(answers.map((a) => [a.status, a.body.id])).toEqual([
        [201, id.toLowerCase()],
        [200, id.toLowerCase()],
        [200, id.toLowerCase()],
      ]);
      expect((await t.store.readStream('actor-upper-sqlite')).map((e) => e.id)).toEqual([id.toLowerCase()]);
    } finally {
      await t.close();
    }
  });
});
