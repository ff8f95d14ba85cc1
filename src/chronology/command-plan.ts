import type { Principal } from '../auth/access.model';
import type { ExpectedRevision } from '../event-store';
import { fold, type Decider, type DomainEvent } from './decider';
import type { EventType } from './events/event-type';
import type { StreamKind } from './events/streams';

/** An id a request refers to, with the request path that named it. */
export interface Reference {
  readonly kind: StreamKind;
  readonly id: string;
  readonly path: string;
}

/**
 * What one request asks of the write side: the stream it targets, the references that must exist,
 * the event it asks for (to recognise a retry), and the decision to run on the stream's history.
 */
export interface CommandPlan {
  readonly stream: string;
  readonly candidate: DomainEvent;
  readonly references: readonly Reference[];
  readonly entryId?: string;
  /**
   * The stream is named after this command's event id (a report's new entry): it exists only if this
   * very command was stored before, which the store recognises by the event id, so nothing is read.
   */
  readonly newStream?: boolean;
  decide(history: readonly DomainEvent[]): DomainEvent[];
}

export function planWith<C, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  command: C,
  plan: Omit<CommandPlan, 'decide'>,
): CommandPlan {
  return { ...plan, decide: (history) => decider.decide(command, fold(decider, history as readonly E[])) };
}

/** Who is writing, and why: becomes the appended events' metadata. */
export interface WriteContext {
  readonly principal: Principal;
  readonly correlationId: string;
  readonly causationId: string | null;
}

export interface PostEventResult {
  /** 201 for a new event, 200 for a retry of one already stored. */
  readonly status: 200 | 201;
  readonly body: {
    readonly id: string;
    readonly type: string;
    readonly stream: string;
    readonly revision: number;
    readonly position: string;
    readonly entryId?: string;
  };
}

/** A request validated and planned, ready to be decided on its stream's history. */
export interface PreparedCommand {
  readonly plan: CommandPlan;
  readonly type: EventType;
  readonly eventId: string;
  readonly expected: ExpectedRevision | undefined;
}
