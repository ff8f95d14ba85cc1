import { Injectable, type CallHandler, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { formatPosition } from '../event-store';
import { AppError } from '../shared/errors';
import { ProjectionRunner } from './projection-runner';

/**
 * On routes that answer from the read models: until they have caught up with the log as it was at
 * start, a 503 `not_ready` with Retry-After, never an answer from a partial state (an empty
 * timeline, an actor not found that exists).
 */
@Injectable()
export class RequireCaughtUp implements NestInterceptor {
  constructor(private readonly runner: ProjectionRunner) {}

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    if (!this.runner.caughtUp) throw notReady(this.runner, 'the read models are catching up with the log');
    return next.handle();
  }
}

/** 503 not_ready, saying how far the read models have come (also used by the access guard). */
export function notReady(runner: ProjectionRunner, what: string): AppError {
  const { position, seq, progress } = runner.state;
  const at = position ? `position ${formatPosition(position)}, ${seq} events` : 'the start of the log';
  return new AppError(
    'not_ready',
    `${what} (at ${at}); see GET /health for progress and try again shortly`,
    { position: position ? formatPosition(position) : null, eventsApplied: progress?.events ?? 0 },
    { 'retry-after': '5' },
  );
}
