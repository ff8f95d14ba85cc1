import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Worker } from 'node:worker_threads';
import { APP_CONFIG, type AppConfig } from '../config';
import { EVENT_STORE, hasLogReader, type EventStore } from '../event-store';
import { HealthChecks } from '../health/health-checks';
import { ProjectionRunner } from '../projections/projection-runner';
import { CLOCK, type Clock } from '../shared/clock';
import { startModuleWorker } from '../shared/module-worker';
import { exportLines } from './audit-export';
import { AuditService } from './audit.service';
import { verifyExport, type VerifyProblem, type VerifyReport } from './verify-log';
import { verifyTail } from './verify-tail';
import type { VerifyWorkerData } from './verify-worker';

export type AuditState = 'pending' | 'ok' | 'failed' | 'history-missing';

/** What `/health` says about the log under `checks.audit`. */
export interface AuditStatus {
  readonly state: AuditState;
  readonly checkedAt: string | null;
  /** `start`: the signed roots and the events since the last one; `full`: every event again. */
  readonly scope?: 'start' | 'full';
  readonly checked?: number;
  /** The first bad position, when one can be named (a rebuilt tree names a range in `problem`). */
  readonly failedAt?: string | null;
  readonly problem?: string;
  /** Not a failure: e.g. checkpoints in the store that another key signed (they are not served). */
  readonly warning?: string;
  readonly nextFullCheckAt?: string;
}

const FOREVER_MS = 2_147_483_647;

type FullReport = VerifyReport & { readonly treeSize: number };

/**
 * Tamper evidence without being asked: once the read models have caught up at start, the log is
 * checked against the signed checkpoints (verifyTail), then verified whole every
 * AUDIT_VERIFY_INTERVAL_SECONDS in a worker thread. A failure stays until the service restarts on
 * a log that verifies; it takes readiness away and shows in `/health` and `/metrics`.
 */
@Injectable()
export class AuditWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private current: AuditStatus = { state: 'pending', checkedAt: null };
  private timer: NodeJS.Timeout | null = null;
  private readonly workers = new Set<Worker>();
  private full: Promise<FullReport | null> | null = null;
  private stopped = false;

  constructor(
    private readonly audit: AuditService,
    private readonly runner: ProjectionRunner,
    private readonly checks: HealthChecks,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get status(): AuditStatus {
    const warning = this.audit.warning;
    return warning ? { ...this.judged(), warning } : this.judged();
  }

  private judged(): AuditStatus {
    const signer = this.audit.problem;
    if (this.audit.isHistoryMissing) {
      return { state: 'history-missing', checkedAt: this.current.checkedAt, problem: signer! };
    }
    if (signer && this.current.state !== 'failed') {
      // The signer found the tree no longer matching its last checkpoint between two checks.
      return { ...this.current, state: 'failed', failedAt: null, problem: signer };
    }
    return this.current;
  }

  onApplicationBootstrap(): void {
    this.checks.set('audit', () => {
      const status = this.status;
      return { healthy: status.state === 'ok' || status.state === 'pending', report: status };
    });
    if (this.audit.isHistoryMissing) return;
    void this.checkAtStart().catch((e: unknown) =>
      this.logger.warn(`could not check the log at start: ${(e as Error).message}`),
    );
  }

  /**
   * Stops the timer and any worker. A check still waiting for the read models to catch up is not
   * awaited (the runner may stop after this module); once stopped, nothing it finds is recorded.
   */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }

  /** Runs the whole verification now (also what the periodic timer calls); null if stopped meanwhile. */
  verifyFull(): Promise<FullReport | null> {
    // One run at a time: callers arriving meanwhile (the timer, several auditors) share its report
    // rather than each re-reading the whole log in a thread of its own.
    this.full ??= this.runFull().finally(() => (this.full = null));
    return this.full;
  }

  private async runFull(): Promise<FullReport | null> {
    const size = this.audit.tree.size;
    const trusted = this.audit.trustedRoots(size);
    const report = hasLogReader(this.config.eventStore)
      ? await this.inWorker({
          eventStore: this.config.eventStore,
          readDbFile: this.config.readDbFile,
          size,
          trusted: trusted.map((t) => ({ size: t.size, rootHash: t.rootHash.toString('base64') })),
        })
      : // A server store is read through the service's client: I/O, paged, with turns between pages.
        await verifyExport(exportLines(this.store, this.audit.tree, size), trusted);
    if (!report || this.stopped) return null;
    this.record('full', report.checked, report.firstBad, report.treeProblem);
    return { ...report, treeSize: size };
  }

  private async checkAtStart(): Promise<void> {
    if (!(await this.runner.whenCaughtUp(FOREVER_MS)) || this.stopped) return;
    // The roots to check are those stored by then (on EventStoreDB, by any instance).
    await this.audit
      .refreshCheckpoints()
      .catch((e: unknown) =>
        this.logger.warn(`could not read the signed checkpoints: ${(e as Error).message}`),
      );
    if (this.stopped) return;
    const report = await verifyTail(this.audit.tree, this.audit.trustedRoots(), (from) =>
      exportLines(this.store, this.audit.tree, this.audit.tree.size, from),
    );
    if (this.stopped) return;
    this.record('start', report.checked, report.firstBad, report.treeProblem);
    this.scheduleFull();
  }

  private scheduleFull(): void {
    const every = this.config.audit.verifyIntervalMs;
    if (every === 0 || this.stopped) return;
    this.current = {
      ...this.current,
      nextFullCheckAt: new Date(this.clock.now().getTime() + every).toISOString(),
    };
    this.timer = setTimeout(() => {
      void this.verifyFull()
        .then(() => undefined)
        .catch((e: unknown) => {
          this.logger.warn(`could not verify the log: ${(e as Error).message}; trying again later`);
        })
        .finally(() => this.scheduleFull());
    }, every);
    this.timer.unref();
  }

  private inWorker(data: VerifyWorkerData): Promise<VerifyReport | null> {
    return new Promise((resolve, reject) => {
      const worker = startModuleWorker(__filename, 'verify-worker', data);
      this.workers.add(worker);
      let settled = false;
      worker.once('message', (m: { report?: VerifyReport; error?: string }) => {
        settled = true;
        if (m.report) resolve(m.report);
        else reject(new Error(m.error));
      });
      worker.once('error', (e) => {
        settled = true;
        reject(e);
      });
      worker.once('exit', () => {
        this.workers.delete(worker);
        if (!settled) resolve(null); // terminated at shutdown
      });
    });
  }

  private record(
    scope: 'start' | 'full',
    checked: number,
    firstBad: VerifyProblem | null,
    treeProblem: string | null,
  ): void {
    const checkedAt = this.clock.now().toISOString();
    if (!firstBad && !treeProblem) {
      // A failure is not cleared by a later pass: the log was altered once, whatever it holds now.
      if (this.current.state !== 'failed') this.current = { state: 'ok', checkedAt, scope, checked };
      return;
    }
    const problem = firstBad ? `${firstBad.problem} (leaf ${firstBad.leafIndex})` : treeProblem!;
    this.current = {
      state: 'failed',
      checkedAt,
      scope,
      checked,
      failedAt: firstBad?.position ?? null,
      problem,
    };
    this.logger.error(`the log does not verify: ${problem}`);
  }
}
