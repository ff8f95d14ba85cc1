/** The event a command appends first: a retry finds it stored under the same id and type. */
export interface OwnEvent {
  readonly id: string;
  readonly type: string;
}

/**
 * A stream's events before the command's own event when a retry finds it stored (all of them
 * otherwise): what a retry is planned and decided on, as the original was. Another event under the
 * same id (an id reused for another type) cuts nothing: the store refuses the reuse.
 */
export function before<T extends { readonly id: string; readonly type: string }>(
  history: readonly T[],
  own: OwnEvent,
): readonly T[] {
  const at = history.findIndex((e) => e.id === own.id && e.type === own.type);
  return at < 0 ? history : history.slice(0, at);
}
