import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpConfig } from '../config';
import { AppError } from '../shared/errors';

/** The API answers JSON only: nothing may be loaded, framed or submitted from its responses. */
const API_CSP = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/** Swagger UI (/docs) loads its own scripts, styles and the OpenAPI document from this origin. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Who a request counts against: its API key, or its address (`fail:` for a key that failed). */
export type RateKey = (request: FastifyRequest) => string;

/**
 * Security headers on every answer (@fastify/helmet: a strict Content-Security-Policy, Swagger UI's
 * own under /docs, no framing), CORS for the configured origins only and never with credentials
 * (@fastify/cors), and rate limits per key or address with 429 and Retry-After
 * (@fastify/rate-limit), stricter for requests whose key failed. /health and /metrics are never
 * limited: probes and scrapers poll them.
 */
export async function registerSecurity(
  fastify: FastifyInstance,
  http: HttpConfig,
  rateKey: RateKey,
): Promise<void> {
  await fastify.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    crossOriginResourcePolicy: { policy: http.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (request.url === '/docs' || request.url.startsWith('/docs/'))
      reply.header('content-security-policy', DOCS_CSP);
    done(null, payload);
  });
  if (http.corsOrigins.length > 0) {
    await fastify.register(cors, {
      origin: [...http.corsOrigins],
      credentials: false,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Last-Event-ID'],
      exposedHeaders: ['Retry-After', 'X-Tree-Size', 'Content-Type'],
      maxAge: 600,
    });
  }
  if (http.rateLimitPerMinute === 0 && http.authFailuresPerMinute === 0) return;
  const unlimited = Number.MAX_SAFE_INTEGER;
  await fastify.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: rateKey,
    max: (_request, key) =>
      key.startsWith('fail:')
        ? http.authFailuresPerMinute || unlimited
        : http.rateLimitPerMinute || unlimited,
    allowList: (request) => /^\/(health|metrics)(?:[/?]|$)/.test(request.url),
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new AppError(
          'rate_limited',
          `more than ${context.max} requests in a minute from this ${context.ban ? 'client' : 'key or address'}; retry in ${context.after}`,
          {},
          { 'retry-after': String(Math.ceil(context.ttl / 1000)) },
        ),
        { statusCode: 429 },
      ),
  });
}
