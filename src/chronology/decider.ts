/** An event as a decider sees it: a type and its data, before ids, positions and metadata. */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/**
 * A decider is three pure functions: what a stream's state starts as, how an event changes it, and
 * which events a command produces given the state (or a coded AppError when a rule says no).
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

export function fold<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const e of events) state = decider.evolve(state, e);
  return state;
}
