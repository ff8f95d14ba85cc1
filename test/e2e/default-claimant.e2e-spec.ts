import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/** A report that names no claimant: its source's own actor stands as the claimant, if it has one. */
describe('the default claimant (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
  });
  afterAll(() => t.close());

  const body = (sourceId: string, id?: string) => ({
    type: 'ShellingAlleged',
    ...(id ? { id } : {}),
    data: reportBase(20, {
      actors: [{ actorId: 'separatists', role: 'agent' }],
      attribution: { sourceId },
    }),
  });

  it("makes the source's own actor the claimant, and a retry lands on the same entry", async () => {
    const id = '5d1c0b8e-8a43-4d7e-9a7e-2f0c1b2a3d4e';
    const first = await t.post('/v1/events', body('ukraine-mod', id));
    expect(first.status).toBe(201);
    const entry = (await t.get(`/v1/entries/${first.body.entryId}?minPosition=${first.body.position}`)).body;
    expect(entry.claimants).toEqual([{ actorId: 'ukraine', name: 'Ukraine' }]);
    expect(entry.actors).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorId: 'separatists', role: 'agent' })]),
    );
    const again = await t.post('/v1/events', body('ukraine-mod', id));
    expect([again.status, again.body.entryId]).toEqual([200, first.body.entryId]);
  });

  it('refuses a report with no claimant whose source has no actor of its own, saying how to fix it', async () => {
    const head = await t.head();
    const res = await t.post('/v1/events', body('reuters'));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'data.actors', message: expect.stringMatching(/affiliatedActorId/) }),
    ]);
    expect(await t.head()).toBe(head);
  });
});
