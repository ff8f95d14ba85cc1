import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.guard';
import { bool, int, nullable, obj, position, str } from '../http/openapi-schema';
import { EVENT_STORE, comparePositions, formatPosition, type EventStore } from '../event-store';
import { ProjectionRunner } from '../projections/projection-runner';
import { HealthChecks } from './health-checks';

const HEALTH = obj({
  status: str({ enum: ['ok', 'degraded', 'down'] }),
  ready: bool(),
  store: obj({ up: bool(), driver: str({ enum: ['sqlite', 'eventstoredb'] }) }, { error: str() }),
  projections: obj(
    {
      state: str(),
      position: nullable(position('Where the read models stand.')),
      events: int(),
      head: nullable(position('The log’s last position.')),
      behind: bool(),
      caughtUp: bool(),
    },
    { lagEvents: int(), catchUp: obj({}), error: str() },
  ),
  checks: obj(
    {},
    {
      audit: obj(
        {
          state: str({ enum: ['pending', 'ok', 'failed', 'history-missing'] }),
          checkedAt: nullable(str({ format: 'date-time' })),
        },
        {
          scope: str({ enum: ['start', 'full'] }),
          checked: int(),
          failedAt: nullable(str({ description: 'The first bad position, when one can be named.' })),
          problem: str(),
          nextFullCheckAt: str({ format: 'date-time' }),
        },
      ),
    },
  ),
});

@ApiTags('health')
@Controller('health')
@Access('public')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly checks: HealthChecks,
  ) {}

  /** Liveness: answers 200 while the process serves; the body says how the parts are. */
  @Get()
  @ApiOperation({ summary: 'Liveness, with the state of the event store and the projections (lag).' })
  @ApiOkResponse({ description: 'How the parts are (200 while the process serves).', schema: HEALTH })
  async health() {
    return this.report();
  }

  /** Readiness: 503 until the store is up and the read models follow the log live. */
  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: 200 when the store is up, projections are live and every check holds (the audit log verifies), else 503.',
  })
  @ApiOkResponse({ description: 'Ready.', schema: HEALTH })
  @ApiServiceUnavailableResponse({ description: 'Not ready (Retry-After: 1).', schema: HEALTH })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.report();
    if (!report.ready) void reply.status(503).header('retry-after', '1');
    return report;
  }

  private async report() {
    const store = await this.store.health();
    const head = store.up ? await this.store.headPosition().catch(() => null) : null;
    const state = this.runner.state;
    const behind = head !== null && (state.position === null || comparePositions(state.position, head) < 0);
    const lagEvents =
      this.store.driver === 'sqlite' && head
        ? Number(head.commit - (state.position?.commit ?? 0n))
        : undefined;
    const ready = store.up && state.state === 'live' && this.checks.healthy;
    const rate = state.progress?.eventsPerSecond;
    const catchUp = state.progress && {
      ...state.progress,
      ...(lagEvents !== undefined && rate ? { etaSeconds: Math.ceil(lagEvents / rate) } : {}),
    };
    const checks = Object.fromEntries(this.checks.all().map(([name, check]) => [name, check.report]));
    return {
      status: !store.up || state.state === 'failed' ? 'down' : ready ? 'ok' : 'degraded',
      ready,
      store,
      projections: {
        state: state.state,
        position: state.position ? formatPosition(state.position) : null,
        events: state.seq,
        head: head ? formatPosition(head) : null,
        behind,
        caughtUp: state.caughtUp,
        ...(lagEvents !== undefined ? { lagEvents } : {}),
        ...(catchUp ? { catchUp } : {}),
        ...(state.error ? { error: state.error } : {}),
      },
      checks,
    };
  }
}
