import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { TestApp } from './harness';

/**
 * The OpenAPI document describes what the routes answer: every operation documents its success
 * body, and the real answers of every JSON route, on the sample chronology, now and as of a
 * position, validate against the documented schema.
 */
describe('documented response bodies (real HTTP, sample chronology)', () => {
  let t: TestApp;
  let document: any;
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  addFormats(ajv);

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true' });
    document = (await t.get('/openapi.json', { key: null })).body;
    ajv.addSchema({ ...document, $id: 'openapi' });
  }, 60_000);
  afterAll(() => t.close());

  const pointer = (...parts: string[]) =>
    parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
  function schemaOf(
    method: string,
    path: string,
    status: string,
    media = 'application/json',
  ): ValidateFunction {
    const content = document.paths[path]?.[method]?.responses?.[status]?.content;
    expect({ method, path, status, json: Boolean(content?.[media]) }).toEqual({
      method,
      path,
      status,
      json: true,
    });
    return ajv.compile({
      $ref: `openapi#/${pointer('paths', path, method, 'responses', status, 'content', media, 'schema')}`,
    });
  }

  it('documents a success body for every operation', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries<any>(document.paths))
      for (const [method, op] of Object.entries<any>(item)) {
        const success = Object.entries<any>(op.responses).filter(([status]) => /^2/.test(status));
        if (success.length === 0 || success.some(([, r]) => !r.content)) missing.push(`${method} ${path}`);
      }
    expect(missing).toEqual([]);
  });

  it('answers what it documents, on every JSON route', async () => {
    const head = await t.head();
    const page = (await t.get(`/v1/timeline?limit=5&minPosition=${head}`)).body;
    const entryId = page.items[0].entryId as string;
    const firstLine = (await t.get('/v1/audit/log')).text.split('\n')[0]!;
    const eventId = JSON.parse(firstLine).event.id as string;
    await t.append('MeasureRegistered', {
      measureId: 'm',
      crisisId: page.items[0].crisisId,
      kind: 'travel-ban',
      name: 'a ban',
      byActorIds: ['united-kingdom'],
      targetActorIds: ['russia'],
    });
    const changed = await t.append('MeasureStatusChanged', {
      measureId: 'm',
      status: 'planned',
      effective: { start: '2022-02-20', timezone: 'UTC' },
      plannedFor: { start: '2022-03', timezone: 'UTC' },
      sourceId: 'itv-news',
      entryId,
    });
    const checkpoints = (await t.get('/v1/audit/checkpoints')).body.items;
    const reads: Array<[string, string]> = [
      ['/v1/timeline', `/v1/timeline?limit=5&minPosition=${head}`],
      ['/v1/timeline', `/v1/timeline?limit=5&atPosition=30&cursor=${page.nextCursor}`],
      ['/v1/entries/{entryId}', `/v1/entries/${entryId}`],
      ['/v1/entries/{entryId}', `/v1/entries/${entryId}?atPosition=${head}`],
      ['/v1/crises', '/v1/crises'],
      ['/v1/crises', '/v1/crises?atPosition=30'],
      ['/v1/actors', '/v1/actors?limit=3'],
      ['/v1/actors', '/v1/actors?limit=3&atPosition=30'],
      ['/v1/actors/{actorId}', '/v1/actors/russia'],
      ['/v1/actors/{actorId}', '/v1/actors/nato?includeMembers=true&atPosition=40'],
      ['/v1/sources', '/v1/sources'],
      ['/v1/sources/{sourceId}', '/v1/sources/itv-news'],
      ['/v1/admin/projections', '/v1/admin/projections'],
      ['/v1/me', '/v1/me'],
      ['/v1/admin/keys', '/v1/admin/keys'],
      ['/v1/audit/checkpoint', '/v1/audit/checkpoint'],
      ['/v1/audit/checkpoints', '/v1/audit/checkpoints'],
      ['/v1/audit/public-key', '/v1/audit/public-key'],
      ['/v1/audit/proof/{eventId}', `/v1/audit/proof/${eventId}`],
      ['/v1/audit/consistency', `/v1/audit/consistency?from=${checkpoints[0].size}`],
      ['/v1/audit/verify', '/v1/audit/verify'],
      ['/v1/event-types', '/v1/event-types'],
      ['/v1/measures', `/v1/measures?minPosition=${changed.position}`],
      ['/v1/measures', `/v1/measures?atPosition=${head}`],
      ['/v1/measures/{measureId}', `/v1/measures/m?minPosition=${changed.position}`],
      ['/v1/measures/{measureId}', `/v1/measures/m?at=2022-01-01&atPosition=${changed.position}`],
      ['/health', '/health'],
      ['/health/ready', '/health/ready'],
      ['/v1/exports/{format}', '/v1/exports/timelinejs'],
      ['/v1/exports/{format}', '/v1/exports/timelinejs?actor=russia&atPosition=30'],
    ];
    const problems: unknown[] = [];
    const check = (method: string, path: string, status: string, url: string, res: any) => {
      expect({ url, status: res.status }).toEqual({ url, status: Number(status) });
      const validate = schemaOf(method, path, status);
      if (!validate(res.body)) problems.push({ url, errors: validate.errors });
    };
    for (const [path, url] of reads) check('get', path, '200', url, await t.get(url));
    // The JSON exports that are not application/json: GeoJSON (a place with coordinates, so not empty).
    const located = await t.append('ShellingAlleged', {
      crisisId: page.items[0].crisisId,
      summary: 'A located report, for the GeoJSON export.',
      occurred: { start: '2022-02-18', timezone: 'Europe/Kyiv' },
      locations: [
        { name: 'Shchastia', role: 'where', countryCode: 'UA', lat: 48.74, lon: 39.23, geoPrecision: 2 },
      ],
      actors: [{ actorId: 'russia', role: 'agent' }],
      attribution: { sourceId: 'itv-news' },
    });
    const geo = await t.get(`/v1/exports/geojson?minPosition=${located.position}`);
    expect(geo.body.features.length).toBeGreaterThan(0);
    const validateGeo = schemaOf('get', '/v1/exports/{format}', '200', 'application/geo+json');
    if (!validateGeo(geo.body)) problems.push({ url: '/v1/exports/geojson', errors: validateGeo.errors });

    const issued = await t.post('/v1/admin/keys', { name: 'desk', role: 'reader' });
    check('post', '/v1/admin/keys', '201', '/v1/admin/keys', issued);
    const revoked = await t.request('DELETE', `/v1/admin/keys/${issued.body.keyId}`, { body: {} });
    check('delete', '/v1/admin/keys/{keyId}', '200', '/v1/admin/keys/{keyId}', revoked);
    const rebuilt = await t.post('/v1/admin/projections/sources/rebuild', {});
    check('post', '/v1/admin/projections/{name}/rebuild', '200', 'rebuild', rebuilt);
    expect(problems).toEqual([]);
  });

  it('fails a body that breaks the documented shape (the check is not vacuous)', async () => {
    const res = await t.get('/v1/timeline?limit=1');
    const validate = schemaOf('get', '/v1/timeline', '200');
    expect(validate(res.body)).toBe(true);
    const broken = structuredClone(res.body);
    delete broken.items[0].occurred.start;
    expect(validate(broken)).toBe(false);
    expect(validate({ ...res.body, nextCursor: 5 })).toBe(false);
  });
});
