/**
 * A stream's events before the one with this id (all of them when it is not stored): what a retry
 * of that event is planned and decided on, as the original was.
 */
export function before<T extends { readonly id: string }>(
  history: readonly T[],
  eventId: string,
): readonly T[] {
  const at = history.findIndex((e) => e.id === eventId);
  return at < 0 ? history : history.slice(0, at);
}
