import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dirname, join } from 'node:path';
import { ENTRY_STATUSES, REPORT_TYPE_NAMES, RELIABILITY } from '../chronology/events';

/** Where the page's files are: copied beside this file by `nest build` (nest-cli.json assets). */
export const PUBLIC_DIR = join(__dirname, 'public');

/**
 * Browser builds of the page's libraries, served from their installed packages (dependencies in
 * package.json, so the lockfile pins them): `/web/vendor/<name>/<file>`, the package's folder below.
 */
const VENDOR: Record<string, string> = {
  uplot: 'uplot/dist', // charts: uPlot.esm.js and uPlot.min.css
  'topojson-client': 'topojson-client/src', // ES modules with relative imports only
  'world-atlas': 'world-atlas', // country outlines (TopoJSON), e.g. countries-110m.json
};

function packageDir(path: string): string {
  const [scopeOrName, ...rest] = path.split('/');
  return join(dirname(require.resolve(`${scopeOrName}/package.json`)), ...rest);
}

/**
 * The page's policy: its own scripts, styles and images only (no inline script or style, no eval),
 * reads and live feeds from this origin only, never framed. Swagger UI (/docs) keeps its own.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The words the filters offer, from the event catalogue (the OpenAPI document does not list them). */
const VOCABULARY = JSON.stringify({
  types: [...REPORT_TYPE_NAMES].sort(),
  statuses: [...ENTRY_STATUSES],
  reliabilities: [...RELIABILITY],
});

/**
 * Serves `GET /` (the page) and `/web/*` (its scripts and styles) in a plugin of their own, so that
 * its onSend hook replaces the API's `default-src 'none'` policy for these routes only.
 */
@Injectable()
export class WebPage implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    // Queued, not awaited: awaiting would load Fastify's plugins now, before Nest installs its error
    // handler and body parsers, and every error raised in a hook would then answer as Fastify's
    // own JSON (a 403 as a 500) instead of problem+json. The plugin loads when the server starts.
    void fastify.register(async (page) => {
      page.addHook('onSend', async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        reply.header('content-security-policy', PAGE_CSP);
        return payload;
      });
      await page.register(fastifyStatic, {
        root: PUBLIC_DIR,
        prefix: '/web/',
        index: false,
        list: false,
        cacheControl: true,
        maxAge: 0,
      });
      for (const [name, path] of Object.entries(VENDOR))
        await page.register(fastifyStatic, {
          root: packageDir(path),
          prefix: `/web/vendor/${name}/`,
          index: false,
          list: false,
          decorateReply: false,
          cacheControl: true,
          maxAge: 0,
        });
      const index = (_request: FastifyRequest, reply: FastifyReply) => reply.sendFile('index.html');
      page.get('/', index);
      page.get('/web/vocabulary.json', (_request, reply) =>
        reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(VOCABULARY),
      );
    });
  }
}
