import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import { ReadConsistency } from './read-consistency';

/** Applies `minPosition` to every GET before its handler reads. */
@Injectable()
export class ReadConsistencyInterceptor implements NestInterceptor {
  constructor(private readonly consistency: ReadConsistency) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const minPosition = (request.query as Record<string, unknown> | undefined)?.minPosition;
    if (request.method !== 'GET' || minPosition === undefined) return next.handle();
    return from(this.consistency.ensure(minPosition)).pipe(switchMap(() => next.handle()));
  }
}
