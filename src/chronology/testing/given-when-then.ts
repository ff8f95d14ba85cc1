import { AppError, type ErrorCode } from '../../shared/errors';
import { fold, type Decider, type DomainEvent } from '../decider';

/** given(past events).when(command).then(new events) — or .thenRejects(code, message). */
export function specFor<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(past: E[]) {
      return {
        when(command: C) {
          const run = (): E[] => decider.decide(command, fold(decider, past));
          return {
            then(expected: E[]): void {
              expect(run()).toEqual(expected);
            },
            thenRejects(code: ErrorCode, message?: RegExp): void {
              let error: unknown;
              try {
                run();
              } catch (e) {
                error = e;
              }
              expect(error).toBeInstanceOf(AppError);
              expect((error as AppError).code).toBe(code);
              if (message) expect((error as AppError).message).toMatch(message);
            },
          };
        },
      };
    },
  };
}
