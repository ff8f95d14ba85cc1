import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config';
import { formatPosition, parsePosition } from '../event-store';
import { AppError } from '../shared/errors';
import { AppliedStream } from './applied-stream';

/** Read-your-writes: a GET with minPosition waits (bounded) until this instance has applied it. */
@Injectable()
export class ReadConsistency {
  constructor(
    private readonly applied: AppliedStream,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ensure(minPosition: unknown): Promise<void> {
    if (minPosition === undefined) return;
    const position = typeof minPosition === 'string' ? parsePosition(minPosition) : null;
    if (!position) {
      throw AppError.validation([
        { path: 'minPosition', message: 'minPosition must be a position returned by the API, e.g. "42"' },
      ]);
    }
    if (await this.applied.waitFor(position, this.config.readWaitTimeoutMs)) return;
    const at = this.position;
    throw new AppError(
      'not_caught_up',
      `this instance has not applied position ${formatPosition(position)} within ${this.config.readWaitTimeoutMs} ms (it is at ${at ?? 'the start'})`,
      { position: at },
      { 'retry-after': '1' },
    );
  }

  /** The position every read model of this instance has applied, as sent to clients. */
  get position(): string | null {
    const p = this.applied.position;
    return p ? formatPosition(p) : null;
  }
}
