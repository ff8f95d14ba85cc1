import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { READ_COMPONENTS } from './projections/openapi.responses';
import { MAX_BATCH_ITEMS } from './chronology/batch-writer';
import { describeProblems } from './http/problem-details';
import { describeEventBodies } from './chronology/events/event-schemas';
import { AppModule } from './app.module';
import type { AppConfig } from './config';
import { Metrics } from './health/metrics';
import type { Clock } from './shared/clock';
import { lockDataDir, type DataDirLock } from './shared/data-dir-lock';
import { closeUnusedConnectionsOnShutdown } from './http/http-shutdown';
import { registerJsonParser } from './http/json-body';
import { answerClientError, answerFrameworkError } from './http/client-errors';
import { registerSecurity } from './http/security';
import { assertMayWrite, rateKeyOf } from './auth/access.guard';
import { KEY_LOOKUP, type KeyLookup } from './auth/key-lookup';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Builds the whole service (used by main.ts and by the end-to-end tests), initialised but not
 * listening. It holds its data dir from before the first file is opened until `close()` has closed
 * the last one; a data dir held by another process is refused with DataDirLocked.
 */
export async function createApp(
  config: AppConfig,
  options: { clock?: Clock } = {},
): Promise<NestFastifyApplication> {
  const lock = lockDataDir(config.dataDir);
  try {
    return await buildApp(config, lock, options);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function buildApp(
  config: AppConfig,
  lock: DataDirLock,
  options: { clock?: Clock },
): Promise<NestFastifyApplication> {
  const { http } = config;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    // Slow clients hold a connection only so long: headers, then the whole request, then idleness
    // (above the SSE heartbeat, so live feeds stay open); timeouts are checked every second.
    http: {
      headersTimeout: http.headersTimeoutMs,
      requestTimeout: http.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs),
    },
    requestTimeout: http.requestTimeoutMs,
    connectionTimeout: http.idleTimeoutMs,
    keepAliveTimeout: Math.min(5000, http.idleTimeoutMs),
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  });
  adapter.getInstance().server.maxConnections = http.maxConnections;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, lock, options.clock),
    adapter,
    {
      logger: new ConsoleLogger({
        logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
        json: config.logFormat === 'json',
        colors: config.logFormat === 'text' && process.stdout.isTTY,
      }),
      abortOnError: false,
      // Our own JSON parser only (see registerJsonParser): no urlencoded bodies, coded errors.
      bodyParser: false,
    },
  );
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonParser(fastify);
  // Posting events needs a key that may write: refused before the body is read.
  const keys = app.get<KeyLookup>(KEY_LOOKUP);
  await registerSecurity(fastify, config.http, rateKeyOf(keys));
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    // By the route matched (the router decodes the path: '/v1/%65vents' is this route too).
    const route = request.routeOptions.url;
    if (request.method === 'POST' && (route === '/v1/events' || route === '/v1/events/batch')) {
      try {
        assertMayWrite(keys, request.headers.authorization);
      } catch (e) {
        done(e as Error, undefined);
        return;
      }
    }
    done(null, payload);
  });
  closeUnusedConnectionsOnShutdown(fastify);
  const metrics = app.get(Metrics);
  const requests = new Logger('HTTP');
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    // One line per request (probes at debug level): its id, what was asked, by whom, the answer,
    // how long.
    const line = {
      id: request.id,
      method: request.method,
      url: request.url.length > 300 ? `${request.url.slice(0, 300)}…` : request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      principal: request.principal?.id ?? null,
      ip: request.ip,
    };
    if (/^\/(health|metrics)\b/.test(request.url)) requests.debug(line);
    else requests.log(line);
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Crisis Chronology')
      .setDescription(
        'Immutable, attributed events of an unfolding crisis; timeline, actors, sources, live feeds and audit.',
      )
      .setVersion('1')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'opaque API key (cc_...)',
          description: 'An API key issued by POST /v1/admin/keys, or ADMIN_API_KEY.',
        },
        'bearer',
      )
      .addSecurityRequirements('bearer')
      .build(),
  );
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...READ_COMPONENTS },
  };
  describeEventBodies(document, MAX_BATCH_ITEMS);
  describeProblems(document);
  // Health and metrics need no key (reads need none either when PUBLIC_READS is set).
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!/^\/(health|metrics)\b/.test(path)) continue;
    for (const operation of Object.values(operations) as Array<{ security?: unknown[] }>)
      operation.security = [];
  }
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
  await app.init();
  return app;
}
