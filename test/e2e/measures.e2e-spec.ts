import { CRISIS, REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

/**
 * Measures as entities with a lifecycle: registered, moved from state to state as sources say,
 * read at a valid time (`at`) and as of a transaction time (`atPosition`), independently.
 */
describe('measures (embedded SQLite, real HTTP)', () => {
  let t: TestApp;
  const id = 'uk-sanctions-russian-banks';
  const positions: Record<string, string> = {};

  const change = async (status: string, effective: string, extra: Record<string, unknown> = {}) => {
    const res = await t.post('/v1/events', {
      type: 'MeasureStatusChanged',
      data: {
        measureId: id,
        status,
        effective: { start: effective, timezone: 'Europe/London' },
        sourceId: 'reuters',
        ...extra,
      },
    });
    expect({ status, code: res.status }).toEqual({ status, code: 201 });
    positions[status] = res.body.position;
    return res;
  };
  const view = async (query = '') => {
    const res = await t.get(`/v1/measures/${id}?minPosition=${positions.lifted ?? ''}${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    for (const e of REGISTRY) await t.append(e.type, e.data);
    const registered = await t.post('/v1/events', {
      type: 'MeasureRegistered',
      data: {
        measureId: id,
        crisisId: CRISIS,
        kind: 'sanctions',
        name: 'UK sanctions on Russian banks',
        byActorIds: ['united-kingdom'],
        targetActorIds: ['russia'],
      },
    });
    expect(registered.status).toBe(201);
    expect(registered.body.stream).toBe(`measure-${id}`);
    const report = await t.append('SanctionsAnnounced', reportBase(22, { status: 'imposed' }));
    await change('announced', '2022-02-22', {
      plannedFor: { start: '2022-02-23', timezone: 'Europe/London' },
      entryId: report.entryId,
    });
    await change('imposed', '2022-02-23');
    await change('extended', '2022-06-01', { until: { start: '2022-12-31', timezone: 'Europe/London' } });
    await change('partly-lifted', '2022-09-01');
    // Recorded last, effective earliest: a suspension reported late.
    await change('suspended', '2022-08-01', { note: 'reported a month late' });
    await change('lifted', '2023-01-15');
  });
  afterAll(() => t.close());

  it('gives the state of the measure at each moment of valid time, with codes by phase', async () => {
    const at = async (when: string) => (await view(`&at=${when}`)).state?.status ?? null;
    expect(await at('2022-02-21')).toBeNull();
    // Extended until the end of 2022, then changed before that: never lapsed.
    expect((await view('&at=2022-07-01')).lapsed).toBe(false);
    expect((await view('&at=2022-12-31T12:00:00Z')).lapsed).toBe(false);
    expect(await at('2022-02-22T12:00:00Z')).toBe('announced');
    expect(await at('2022-03-01')).toBe('imposed');
    expect(await at('2022-07-01')).toBe('extended');
    expect(await at('2022-08-15')).toBe('suspended');
    expect(await at('2022-10-01')).toBe('partly-lifted');
    expect(await at('2023-02-01')).toBe('lifted');
    const now = await view();
    expect(now.state).toMatchObject({
      status: 'lifted',
      codes: { cameo: ['085'], plover: { type: 'CONCEDE' } },
    });
    expect(now.history.map((c: any) => c.status)).toEqual([
      'announced',
      'imposed',
      'extended',
      'suspended',
      'partly-lifted',
      'lifted',
    ]);
    const announced = now.history[0];
    expect(announced).toMatchObject({ codes: { cameo: ['1312'] }, plannedFor: { precision: 'day' } });
    expect(announced.entryId).toEqual(expect.any(String));
  });

  it('travels in transaction time independently: what was known at a position', async () => {
    const before = await view(`&atPosition=${positions['partly-lifted']}&at=2022-08-15`);
    // The late suspension was not recorded yet: mid-August was "extended" as known then.
    expect(before.state.status).toBe('extended');
    expect(before.asOf.position).toBe(positions['partly-lifted']);
    const after = await view(`&atPosition=${positions.suspended}&at=2022-08-15`);
    expect(after.state.status).toBe('suspended');
  });

  it('lists measures by crisis, kind and state at a moment', async () => {
    const list = async (q: string) =>
      ((await t.get(`/v1/measures?minPosition=${positions.lifted}&${q}`)).body.items as any[]).map(
        (m) => m.measureId,
      );
    expect(await list(`crisis=${CRISIS}&state=imposed,extended&at=2022-07-01`)).toEqual([id]);
    expect(await list('state=imposed&at=2022-07-01')).toEqual([]);
    expect(await list('kind=airspace-closure')).toEqual([]);
    expect(await list('state=none&at=2021-01-01')).toEqual([id]);
  });

  it('says when the state in effect has passed its `until`, without inventing what followed', async () => {
    const closure = 'ua-airspace-closure-test';
    const registered = await t.post('/v1/events', {
      type: 'MeasureRegistered',
      data: {
        measureId: closure,
        crisisId: CRISIS,
        kind: 'airspace-closure',
        name: 'Airspace closed to civil flights',
        byActorIds: ['ukraine'],
        targetActorIds: ['russia'],
      },
    });
    expect(registered.status).toBe(201);
    const imposed = await t.post('/v1/events', {
      type: 'MeasureStatusChanged',
      data: {
        measureId: closure,
        status: 'imposed',
        effective: { start: '2022-02-24', timezone: 'Europe/Kyiv' },
        until: { start: '2022-03-31', timezone: 'Europe/Kyiv' },
        sourceId: 'reuters',
      },
    });
    expect(imposed.status).toBe(201);
    const at = async (when: string) =>
      (await t.get(`/v1/measures/${closure}?minPosition=${imposed.body.position}&at=${when}`)).body;
    expect(await at('2022-03-15')).toMatchObject({ state: { status: 'imposed' }, lapsed: false });
    expect(await at('2022-04-15')).toMatchObject({ state: { status: 'imposed' }, lapsed: true });
  });

  it('refuses a change out of the lifecycle, an unknown measure or source, and stores nothing', async () => {
    const head = await t.head();
    const back = await t.post('/v1/events', {
      type: 'MeasureStatusChanged',
      data: {
        measureId: id,
        status: 'extended',
        effective: { start: '2023-02-01', timezone: 'Europe/London' },
        sourceId: 'reuters',
      },
    });
    expect([back.status, back.body.code]).toEqual([422, 'rule_violated']);
    expect(back.body.detail).toMatch(/lifted measure is imposed or proposed anew/);
    const unknown = await t.post('/v1/events', {
      type: 'MeasureStatusChanged',
      data: {
        measureId: 'nothing-such',
        status: 'imposed',
        effective: { start: '2023-02-01', timezone: 'UTC' },
        sourceId: 'nobody',
      },
    });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'unknown_reference']);
    const badTime = await t.post('/v1/events', {
      type: 'MeasureStatusChanged',
      data: {
        measureId: id,
        status: 'imposed',
        effective: { start: '2023-02-01T10:00' },
        sourceId: 'reuters',
      },
    });
    expect(badTime.status).toBe(400);
    expect(badTime.body.errors[0].path).toBe('data.effective.start');
    expect(await t.head()).toBe(head);
    expect((await t.get('/v1/measures/nothing-such')).status).toBe(404);
  });
});
