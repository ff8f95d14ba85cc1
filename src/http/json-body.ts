import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors';

/**
 * How deep a body may nest arrays and objects. The deepest event body nests about 6 levels; the
 * validators walk bodies recursively, so a body thousands of levels deep would overflow the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Nesting depth of a parsed JSON value, without recursion (stops past the limit). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const todo: Array<[unknown, number]> = [[value, 1]];
  while (todo.length > 0) {
    const [v, depth] = todo.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(v)) todo.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Replaces the JSON body parser with Fastify's own (which strips __proto__ / constructor poisoning)
 * wrapped so that a bad body is a coded `malformed_json` problem rather than a generic 400.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    // Fastify tests a RegExp against the whole normalised header, parameters included
    // ('application/json; charset="utf-8"'): without them in the pattern, any charset was a 415.
    /^application\/(?:[\w.+-]+\+)?json(?:;.*)?$/i,
    { parseAs: 'string' },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(new AppError('malformed_json', 'the body is empty; send a JSON object'), undefined);
        return;
      }
      void parse(request, text, (error, value) => {
        if (error)
          done(new AppError('malformed_json', `the body is not valid JSON: ${error.message}`), undefined);
        else if (depthOf(value) > MAX_JSON_DEPTH)
          done(
            new AppError(
              'malformed_json',
              `the body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
            ),
            undefined,
          );
        else done(null, value);
      });
    },
  );
}
