import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store';
import type { PostEventResult, PreparedCommand, WriteContext } from './command-plan';
import type { DomainEvent } from './decider';
import type { LogEvent } from './events/stored-events';
import type { OwnEvent } from './history';

/** One item's answer: what a POST of it would have answered, or the error it would have raised. */
export type BatchItemOutcome =
  | { readonly index: number; readonly ref?: string; readonly result: PostEventResult }
  | { readonly index: number; readonly ref?: string; readonly error: unknown };

/** What the batch writer needs of the write side (ChronologyService). */
export interface Commands {
  prepare(
    body: unknown,
    ifMatch: undefined,
    context: WriteContext,
    history: (stream: string, own: OwnEvent) => Promise<readonly DomainEvent[]>,
    exists: (stream: string) => boolean,
  ): Promise<PreparedCommand>;
  history(stream: string): Promise<LogEvent[]>;
  eventsOf(command: PreparedCommand, decided: readonly DomainEvent[], context: WriteContext): NewEvent[];
  resultOf(command: PreparedCommand, result: AppendResult): PostEventResult;
  replay(prior: LogEvent, command: PreparedCommand): PostEventResult;
  post(body: unknown, ifMatch: undefined, context: WriteContext): Promise<PostEventResult>;
}

/** An item decided on the store with the batch's earlier events on top, ready to append. */
export interface Decided {
  readonly index: number;
  readonly ref?: string;
  readonly body: unknown;
  readonly command: PreparedCommand;
  readonly events: NewEvent[];
  readonly expected: ExpectedRevision;
  /** The items whose events the decision read (an earlier item of its stream, an entity it names). */
  readonly after: readonly number[];
}
