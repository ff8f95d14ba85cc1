/**
 * Small builders for the JSON Schemas (OpenAPI 3.0 dialect) that document response bodies, so a
 * controller states its answer's shape in a few lines. test/e2e/openapi.e2e-spec.ts checks real
 * answers against them.
 */
export type JsonSchema = Record<string, unknown>;

export const str = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
export const int = (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra });
export const bool = (extra: JsonSchema = {}): JsonSchema => ({ type: 'boolean', ...extra });
export const instant = (description?: string): JsonSchema =>
  str({ format: 'date-time', ...(description ? { description } : {}) });
/** A log position in wire form ("62"). */
export const position = (description = 'A log position.'): JsonSchema => str({ description });
export const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, nullable: true });
export const arr = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({
  type: 'array',
  items,
  ...extra,
});
/** An object with string keys and values of one schema (counters by role, by type...). */
export const map = (values: JsonSchema): JsonSchema => ({ type: 'object', additionalProperties: values });
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** An object whose `required` properties are always present and `optional` ones only sometimes. */
export function obj(
  required: Record<string, JsonSchema>,
  optional: Record<string, JsonSchema> = {},
  extra: JsonSchema = {},
): JsonSchema {
  const names = Object.keys(required);
  // OpenAPI 3.0 wants a non-empty `required` when it is given at all.
  return {
    type: 'object',
    ...(names.length > 0 ? { required: names } : {}),
    properties: { ...required, ...optional },
    ...extra,
  };
}

/** A page of `items` read at `position`, with the cursor of the next page (null: the last). */
export function page(items: JsonSchema, cursor = true): JsonSchema {
  return obj({
    position: position('The log position the page was read at.'),
    items: arr(items),
    ...(cursor
      ? { nextCursor: nullable(str({ description: 'Opaque; pass as `cursor` for the next page.' })) }
      : {}),
  });
}
