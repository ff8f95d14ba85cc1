import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** Who acted through whom, and what a report of forces rests on (an order is not troops seen). */
describe('acting chains and the basis of a report (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
  });
  afterAll(() => t.close());

  it('keeps the chain in order, makes its actors agents, and records an order apart from an observation', async () => {
    const ordered = await t.append(
      'DeploymentAnnounced',
      reportBase(21, {
        destination: 'Donetsk',
        basis: 'ordered',
        actingChain: [
          { actorId: 'russia', as: 'ordered' },
          { actorId: 'russia-mfa', as: 'directed' },
          { actorId: 'separatists', as: 'carried-out' },
        ],
      }),
    );
    const seen = await t.append('TroopBuildupReported', reportBase(22, { basis: 'observed' }));
    const entry = (await t.get(`/v1/entries/${ordered.entryId}?minPosition=${seen.position}`)).body;
    expect(entry.actingChain).toEqual([
      { actorId: 'russia', as: 'ordered', name: 'Russia' },
      { actorId: 'russia-mfa', as: 'directed', name: expect.any(String) },
      { actorId: 'separatists', as: 'carried-out', name: 'Luhansk separatists' },
    ]);
    expect(entry.details.basis).toBe('ordered');
    expect(entry.actors).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorId: 'separatists', role: 'agent' })]),
    );
    const bySeparatists = await t.get(
      `/v1/timeline?crisis=${CRISIS}&actor=separatists&minPosition=${seen.position}`,
    );
    expect(bySeparatists.body.items.map((i: any) => i.entryId)).toEqual([ordered.entryId]);
    const observed = (await t.get(`/v1/entries/${seen.entryId}`)).body;
    expect(observed.details.basis).toBe('observed');
  });

  it('a correction that only adds an acting chain makes its new actors agents too', async () => {
    const report = await t.append('DeploymentAnnounced', reportBase(23, { destination: 'Luhansk' }));
    const corrected = await t.post('/v1/events', {
      type: 'EntryCorrected',
      data: {
        entryId: report.entryId,
        changes: {
          actingChain: [
            { actorId: 'russia', as: 'ordered' },
            { actorId: 'maria-zakharova', as: 'carried-out' },
          ],
        },
        reason: 'the ministry said who carried it out',
      },
    });
    expect(corrected.status).toBe(201);
    const entry = (await t.get(`/v1/entries/${report.entryId}?minPosition=${corrected.body.position}`)).body;
    expect(entry.actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: 'maria-zakharova', role: 'agent' }),
        expect.objectContaining({ actorId: 'united-kingdom', role: 'claimant' }),
      ]),
    );
    const byHer = await t.get(`/v1/timeline?crisis=${CRISIS}&actor=maria-zakharova`);
    expect(byHer.body.items.map((i: any) => i.entryId)).toContain(report.entryId);
  });

  it('refuses an actor twice in a chain, an unknown one, and a basis on a type that has none', async () => {
    const head = await t.head();
    const twice = await t.post('/v1/events', {
      type: 'ShellingAlleged',
      data: reportBase(23, { actingChain: [{ actorId: 'russia' }, { actorId: 'russia' }] }),
    });
    expect([twice.status, twice.body.errors[0].path]).toEqual([400, 'data.actingChain']);
    const unknown = await t.post('/v1/events', {
      type: 'ShellingAlleged',
      data: reportBase(23, { actingChain: [{ actorId: 'russia' }, { actorId: 'nobody' }] }),
    });
    expect([unknown.status, unknown.body.errors[0].path]).toEqual([422, 'data.actingChain.1.actorId']);
    const statement = await t.post('/v1/events', {
      type: 'StatementMade',
      data: reportBase(23, { basis: 'observed' }),
    });
    expect(statement.status).toBe(400);
    expect(await t.head()).toBe(head);
  });
});
