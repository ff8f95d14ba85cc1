import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors';

/**
 * Replaces the JSON body parser with Fastify's own (which strips __proto__ / constructor poisoning)
 * wrapped so that a bad body is a coded `malformed_json` problem rather than a generic 400.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    /^application\/(?:[\w.+-]+\+)?json$/i,
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
        else done(null, value);
      });
    },
  );
}
