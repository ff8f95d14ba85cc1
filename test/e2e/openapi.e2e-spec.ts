import SwaggerParser from '@apidevtools/swagger-parser';
import { TestApp } from './harness';

/** What a client learns before writing: the catalogue with schemas, and a valid OpenAPI document. */
describe('discoverability (real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('serves an OpenAPI document that validates, with the real request bodies and security', async () => {
    const res = await t.get('/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const document = res.body;
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();

    const types = (await t.get('/v1/event-types')).body.items.map((i: any) => i.type);
    const single = document.paths['/v1/events'].post.requestBody.content['application/json'].schema;
    expect(single.oneOf.map((e: any) => e.properties.type.enum[0])).toEqual(types);
    expect(single.oneOf[0].properties.data.$ref).toMatch(/^#\/components\/schemas\/\w+Dto$/);
    const batch = document.paths['/v1/events/batch'].post.requestBody.content['application/json'].schema;
    expect(batch.properties.items.maxItems).toBe(1000);

    expect(document.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
    expect(document.components.securitySchemes.bearer.bearerFormat).not.toMatch(/JWT/);
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/health'].get.security).toEqual([]);
    // Every operation answers problems it does not document otherwise as Problem documents.
    const operations = Object.values(document.paths).flatMap((item: any) => Object.values(item));
    expect(operations.length).toBeGreaterThan(25);
    for (const operation of operations as any[]) {
      expect(operation.responses.default.content['application/problem+json'].schema).toEqual({
        $ref: '#/components/schemas/Problem',
      });
    }
    const posted = document.paths['/v1/events'].post.responses['201'].content['application/json'].schema;
    expect(posted.required).toEqual(['id', 'type', 'stream', 'revision', 'position']);
    const consistency = document.paths['/v1/audit/consistency'].get.parameters;
    expect(consistency.find((p: any) => p.name === 'from')).toMatchObject({ in: 'query', required: true });
  });

  it('lists every event type with the JSON Schema of its data and an example', async () => {
    const res = await t.get('/v1/event-types');
    const linked = res.body.items.find((i: any) => i.type === 'EntryLinked');
    expect(linked).toMatchObject({
      family: 'link',
      schema: { type: 'object', additionalProperties: false, required: expect.arrayContaining(['relation']) },
      example: { type: 'EntryLinked', data: expect.objectContaining({ relation: 'precedes' }) },
    });
    const report = res.body.items.find((i: any) => i.type === 'TroopBuildupReported');
    // Nested schemas are inlined: each item stands alone.
    expect(report.schema.properties.occurred.properties.precision.enum).toContain('dawn');
  });
});
