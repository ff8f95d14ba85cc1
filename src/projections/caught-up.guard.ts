import { Injectable, type CanActivate } from '@nestjs/common';
import { formatPosition } from '../event-store';
import { AppError } from '../shared/errors';
import { ProjectionRunner } from './projection-runner';

/**
 * On routes that answer from the read models: until they have caught up with the log as it was at
 * start, a 503 `not_ready` with Retry-After, never an answer from a partial state (an empty
 * timeline, an actor not found that exists, a live feed starting from the middle of the log). A
 * guard, so that it answers before a `minPosition` wait and before validation.
 */
@Injectable()
export class RequireCaughtUp implements CanActivate {
  constructor(private readonly runner: ProjectionRunner) {}

  canActivate(): boolean {
    if (!this.runner.caughtUp) throw notReady(this.runner, 'the read models are catching up with the log');
    return true;
  }
}

/**
 * 503 not_ready, saying how far the read models have come (also used by the access guard); when the
 * projections have failed, without Retry-After: retrying will not help until an operator acts.
 */
export function notReady(runner: ProjectionRunner, what: string): AppError {
  const { position, seq, progress, state, error } = runner.state;
  const where = position ? formatPosition(position) : null;
  if (state === 'failed') {
    return new AppError(
      'not_ready',
      `${what}, and the projections have stopped on an error (${error ?? 'unknown'}); see GET /health`,
      { position: where },
    );
  }
  const at = position ? `position ${where}, ${seq} events` : 'the start of the log';
  return new AppError(
    'not_ready',
    `${what} (at ${at}); see GET /health for progress and try again shortly`,
    { position: where, eventsApplied: progress?.events ?? 0 },
    { 'Retry-After': '5' },
  );
}
