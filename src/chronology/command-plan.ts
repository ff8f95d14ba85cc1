import { fold, type Decider, type DomainEvent } from './decider';
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
  decide(history: readonly DomainEvent[]): DomainEvent[];
}

export function planWith<C, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  command: C,
  plan: Omit<CommandPlan, 'decide'>,
): CommandPlan {
  return { ...plan, decide: (history) => decider.decide(command, fold(decider, history as readonly E[])) };
}
