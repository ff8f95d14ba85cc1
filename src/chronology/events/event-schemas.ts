import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { IS_ISO31661_ALPHA_2, IS_OBJECT } from 'class-validator';
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { CATALOGUE } from './catalogue';

/** A JSON Schema object (OpenAPI 3.0's dialect), as class-validator-jsonschema writes it. */
export type Schema = { [key: string]: unknown };

const REF = '#/components/schemas/';
const OPTIONS = {
  classTransformerMetadataStorage: defaultMetadataStorage,
  refPointerPrefix: REF,
  // Rules the library has no schema for: the nearest a schema can say (the server checks the rest).
  additionalConverters: {
    [IS_ISO31661_ALPHA_2]: {
      type: 'string',
      pattern: '^[A-Za-z]{2}$',
      description: 'ISO 3166-1 alpha-2 country code',
    },
    [IS_OBJECT]: { type: 'object' },
  },
} as const;

const BUILT_IN = /^#\/components\/schemas\/(Object|Array|String|Number|Boolean)$/;

/**
 * Every object refuses unknown members, as validation does (forbidNonWhitelisted); a rule the
 * library cannot express leaves a reference to a JavaScript type (Object, Array), dropped here, and
 * IsDefined's `not: {type: null}` is dropped too (OpenAPI 3.0 has no null type; `required` and the
 * referenced object's own type already refuse a missing or null member).
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).filter(
    ([k, v]) =>
      !(k === '$ref' && BUILT_IN.test(String(v))) &&
      !(k === 'not' && JSON.stringify(v) === '{"type":"null"}'),
  );
  const out = Object.fromEntries(entries.map(([k, v]) => [k, closed(v)]));
  if (out.type === 'object' && out.properties) out.additionalProperties = false;
  return out;
}

let cached: { components: Record<string, Schema>; byType: Map<string, Schema> } | null = null;

/**
 * The JSON Schema of every event type's `data`, generated from the rules its DTO is validated with
 * (class-validator's metadata, through class-validator-jsonschema), so the documents cannot drift
 * from what POST /v1/events accepts. `components`: every DTO's schema by class name, nested ones
 * referenced as OpenAPI components; `byType`: each type's schema with those references inlined.
 */
export function eventSchemas(): { components: Record<string, Schema>; byType: Map<string, Schema> } {
  if (cached) return cached;
  const components = closed(validationMetadatasToSchemas(OPTIONS)) as Record<string, Schema>;
  const inline = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(inline);
    if (!schema || typeof schema !== 'object') return schema;
    const { $ref, ...rest } = schema as Schema;
    const target = typeof $ref === 'string' ? components[$ref.slice(REF.length)] : undefined;
    const merged = target ? { ...target, ...rest } : rest;
    return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, inline(v)]));
  };
  const byType = new Map(
    [...CATALOGUE.values()].map((t) => [
      t.name,
      inline(closed(targetConstructorToSchema(t.dto, OPTIONS as never))) as Schema,
    ]),
  );
  cached = { components, byType };
  return cached;
}

/**
 * The body of POST /v1/events as OpenAPI describes it: one envelope per event type, told apart by
 * `type`, each with its `data` schema.
 */
export function postEventSchema(withRef = false): Schema {
  const envelopes = [...CATALOGUE.values()].map((t) => ({
    type: 'object',
    title: t.name,
    description: t.description,
    required: ['type', 'data'],
    additionalProperties: false,
    properties: {
      id: {
        type: 'string',
        format: 'uuid',
        description: 'Idempotency key: the same id and body again return the original result.',
      },
      type: { type: 'string', enum: [t.name] },
      expectedRevision: {
        oneOf: [
          { type: 'string', enum: ['no_stream', 'any', 'stream_exists'] },
          { type: 'integer', minimum: 0 },
        ],
      },
      // In a batch an entry-id field may hold "@<ref>", which the type's schema (a uuid) refuses.
      data: withRef
        ? {
            type: 'object',
            description: `The data of ${t.name} (components/schemas/${t.dto.name}); an entry-id field may hold "@<ref>".`,
          }
        : { $ref: `${REF}${t.dto.name}` },
      ...(withRef
        ? {
            ref: {
              type: 'string',
              pattern: '^[\\w.:-]{1,128}$',
              description: 'Names this item for "@<ref>" in later items.',
            },
          }
        : {}),
    },
  }));
  return { oneOf: envelopes };
}

/** An OpenAPI document, as far as the events' routes are concerned. */
interface Document {
  components?: { schemas?: Record<string, unknown> };
  paths: Record<string, { post?: { requestBody?: unknown; responses?: Record<string, unknown> } }>;
}

/** What POST /v1/events answers (201 for a new event, 200 for a retry of one stored). */
const POSTED = {
  type: 'object',
  required: ['id', 'type', 'stream', 'revision', 'position'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string' },
    stream: { type: 'string' },
    revision: { type: 'integer', minimum: 0 },
    position: { type: 'string', description: 'Log position: use as minPosition to read your write.' },
    entryId: {
      type: 'string',
      format: 'uuid',
      description: 'The entry a report started or a follow-up names.',
    },
  },
};

/**
 * Gives POST /v1/events and POST /v1/events/batch their real request bodies (one envelope per event
 * type, each with its data's schema) and adds every DTO's schema to the document's components.
 */
export function describeEventBodies(document: Document, maxBatchItems: number): void {
  document.components = {
    ...document.components,
    schemas: { ...eventSchemas().components, ...document.components?.schemas },
  };
  const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
  const json = (description: string, schema: Schema) => ({
    description,
    content: { 'application/json': { schema } },
  });
  const single = document.paths['/v1/events']?.post;
  if (single) {
    single.requestBody = body(postEventSchema());
    single.responses = {
      '201': json('Stored.', POSTED),
      '200': json('A retry of an event stored before: its original result.', POSTED),
    };
  }
  const batch = document.paths['/v1/events/batch']?.post;
  if (batch) {
    batch.requestBody = body({
      type: 'object',
      required: ['items'],
      additionalProperties: false,
      properties: { items: { type: 'array', maxItems: maxBatchItems, items: postEventSchema(true) } },
    });
    const item = {
      type: 'object',
      required: ['index', 'status'],
      properties: {
        index: { type: 'integer' },
        ref: { type: 'string' },
        status: { type: 'integer', description: "201, 200, or the status of the item's problem" },
        ...POSTED.properties,
        problem: { $ref: '#/components/schemas/Problem' },
      },
    };
    batch.responses = {
      '200': json('Every item in batch order, with its own status.', {
        type: 'object',
        required: ['stored', 'alreadyStored', 'failed', 'items'],
        properties: {
          stored: { type: 'integer' },
          alreadyStored: { type: 'integer' },
          failed: { type: 'integer' },
          items: { type: 'array', items: item },
        },
      }),
    };
  }
}
