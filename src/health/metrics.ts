import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EVENT_STORE, type EventStore } from '../event-store';
import { AppliedStream } from '../projections/applied-stream';
import { HealthChecks } from './health-checks';

/** Prometheus metrics of one app instance (its own registry, so several can live in one process). */
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'chronology_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly applied = new Counter({
    name: 'chronology_projection_events_applied_total',
    help: 'Events applied to the read models by type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  private readonly unsubscribe: () => void;

  constructor(@Inject(EVENT_STORE) store: EventStore, applied: AppliedStream, checks: HealthChecks) {
    collectDefaultMetrics({ register: this.registry, prefix: 'chronology_' });
    this.unsubscribe = applied.subscribe(({ events }) => {
      for (const e of events) this.applied.inc({ type: e.recorded.type });
    });
    new Gauge({
      name: 'chronology_projection_events',
      help: 'Log events the read models have applied.',
      registers: [this.registry],
      collect() {
        this.set(applied.appliedSeq);
      },
    });
    new Gauge({
      name: 'chronology_event_store_up',
      help: '1 when the event store answers.',
      registers: [this.registry],
      async collect() {
        this.set((await store.health()).up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'chronology_check_healthy',
      help: '1 while a reported check holds, 0 when it fails (e.g. check="audit": the log does not verify).',
      labelNames: ['check'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [name, check] of checks.all()) this.set({ check: name }, check.healthy ? 1 : 0);
      },
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
