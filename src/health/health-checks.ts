import { Injectable } from '@nestjs/common';

/** What one part of the service says about itself, beside the store and the projections. */
export interface HealthCheck {
  /** False takes readiness away and makes the overall status `degraded` (the process still serves). */
  readonly healthy: boolean;
  /** Shown as is under the check's name in `/health`. */
  readonly report: object;
}

/**
 * Checks that modules above the health layer report into (the audit log's verification, for one):
 * `/health`, readiness and `/metrics` read them here, so health needs to know no module above it.
 */
@Injectable()
export class HealthChecks {
  private readonly checks = new Map<string, () => HealthCheck>();

  /** `check` is asked each time health is read, so it reports the part's state at that moment. */
  set(name: string, check: () => HealthCheck): void {
    this.checks.set(name, check);
  }

  all(): Array<[string, HealthCheck]> {
    return [...this.checks].map(([name, check]) => [name, check()]);
  }

  get healthy(): boolean {
    return this.all().every(([, check]) => check.healthy);
  }
}
