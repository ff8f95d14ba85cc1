import { isDuplicateEvent, isWrongExpectedRevision, type EventStore } from '../event-store';
import type { BatchItemOutcome, Commands, Decided } from './batch.types';
import type { WriteContext } from './command-plan';

type State = 'waiting' | 'stored' | 'again';

/**
 * Appends decided items in waves: each wave is every item whose `after` items are all stored, handed
 * to the store in one turn (the SQLite store commits them in one transaction, a savepoint each). An
 * item is never stored on a history it was not decided on: when an item it read fails to append (or
 * is posted again), it is not appended as decided but posted again on its own, in batch order, after
 * the waves, and decided then on what the store holds, as a lone POST would be. So is an item whose
 * own append meets another writer's event (a wrong expected revision) when it pinned none.
 */
export async function appendInWaves(
  store: EventStore,
  commands: Commands,
  decided: readonly Decided[],
  context: WriteContext,
  outcomes: BatchItemOutcome[],
): Promise<void> {
  const state = new Map<number, State>(decided.map((d) => [d.index, 'waiting']));
  const named = (d: Decided) => ({ index: d.index, ...(d.ref ? { ref: d.ref } : {}) });
  for (;;) {
    const waiting = decided.filter((d) => state.get(d.index) === 'waiting');
    if (waiting.length === 0) break;
    for (const d of waiting) if (d.after.some((i) => state.get(i) === 'again')) state.set(d.index, 'again');
    const wave = waiting.filter((d) => d.after.every((i) => state.get(i) === 'stored'));
    if (wave.length === 0) continue;
    const appended = await Promise.allSettled(
      wave.map((d) => store.append(d.command.plan.stream, d.events, { expectedRevision: d.expected })),
    );
    wave.forEach((d, i) => {
      const settled = appended[i]!;
      if (settled.status === 'fulfilled') {
        state.set(d.index, 'stored');
        outcomes[d.index] = { ...named(d), result: commands.resultOf(d.command, settled.value) };
        return;
      }
      const e = settled.reason as unknown;
      const again =
        d.command.expected === undefined &&
        (isWrongExpectedRevision(e) || (isDuplicateEvent(e) && d.command.plan.newStream === true));
      state.set(d.index, 'again');
      if (!again) outcomes[d.index] = { ...named(d), error: e };
    });
  }
  for (const d of decided) {
    if (state.get(d.index) !== 'again' || outcomes[d.index]) continue;
    try {
      outcomes[d.index] = { ...named(d), result: await commands.post(d.body, undefined, context) };
    } catch (error) {
      outcomes[d.index] = { ...named(d), error };
    }
  }
}
