import { checkExpectedRevision, type EventStore, type NewEvent } from '../event-store';
import { AppError } from '../shared/errors';
import type { PostEventResult, PreparedCommand, WriteContext } from './command-plan';
import type { DomainEvent } from './decider';
import { before, type OwnEvent } from './history';
import type { LogEvent } from './events/stored-events';
import { appendInWaves } from './batch-waves';
import type { BatchItemOutcome, Commands, Decided } from './batch.types';
import type { ReferenceChecker } from './reference-checker';

/** The most items one batch may hold (one group commit's worth). */
export const MAX_BATCH_ITEMS = 1000;

const REF = /^@([\w.:-]{1,128})$/;
const isEntryField = (key: string): boolean => key === 'entryId' || key.endsWith('EntryId');

/**
 * The bulk path: each item is validated, planned and decided as a POST would be, on its stream's
 * history with the batch's own earlier events on top, so an item may follow up on an entry, or name
 * an actor, source or crisis, that an earlier item of the same batch creates. An item names the
 * entry an earlier item started by "@<ref>" in an entry-id field of its `data`, where that item
 * carries `ref`. The decided items are then appended in waves by what each read (see
 * appendInWaves): independent items in one group commit, durable before any is answered, as for
 * single appends. Items that fail do not stop the others.
 */
export class BatchWriter {
  private readonly stored = new Map<string, LogEvent[]>();
  /** The batch's decided events per stream, in order. */
  private readonly pending = new Map<string, NewEvent[]>();
  private readonly entryOfRef = new Map<string, string>();
  private readonly ids = new Map<string, number>();
  private readonly refs = new Set<string>();
  /** The last item of the batch that appends to each stream. */
  private readonly writers = new Map<string, number>();

  constructor(
    private readonly commands: Commands,
    private readonly store: EventStore,
    private readonly references: ReferenceChecker,
  ) {}

  async write(items: readonly unknown[], context: WriteContext): Promise<BatchItemOutcome[]> {
    if (items.length > MAX_BATCH_ITEMS) {
      throw AppError.validation([
        { path: 'items', message: `a batch holds at most ${MAX_BATCH_ITEMS} items, not ${items.length}` },
      ]);
    }
    const outcomes: BatchItemOutcome[] = [];
    const queued: Decided[] = [];
    for (const [index, item] of items.entries()) {
      let ref: string | undefined;
      try {
        ref = refOf(item);
        if (ref !== undefined && this.refs.has(ref)) {
          throw AppError.validation([{ path: 'ref', message: `ref "${ref}" names an earlier item already` }]);
        }
        if (ref !== undefined) this.refs.add(ref);
        const body = this.resolveRefs(item);
        const decided = await this.decide(index, body, context);
        if (ref && decided.command.plan.entryId) this.entryOfRef.set(ref, decided.command.plan.entryId);
        if ('result' in decided) outcomes[index] = { index, ...(ref ? { ref } : {}), result: decided.result };
        else queued.push({ index, ref, body, ...decided });
      } catch (error) {
        outcomes[index] = { index, ...(ref ? { ref } : {}), error };
      }
    }
    await appendInWaves(this.store, this.commands, queued, context, outcomes);
    return outcomes;
  }

  /** Plans and decides one item on the store's history with the batch's events on top. */
  private async decide(
    index: number,
    body: unknown,
    context: WriteContext,
  ): Promise<
    { command: PreparedCommand; result: PostEventResult } | Omit<Decided, 'index' | 'ref' | 'body'>
  > {
    // The streams whose batch events the decision read: the items that wrote them come first.
    const consulted = new Set<string>();
    const command = await this.commands.prepare(
      body,
      undefined,
      context,
      (stream, own) => this.domainHistory(stream, own, consulted),
      (stream) => {
        const mine = (this.pending.get(stream)?.length ?? 0) > 0;
        if (mine) consulted.add(stream);
        return mine;
      },
    );
    const { plan, eventId, expected } = command;
    const earlier = this.ids.get(eventId);
    if (earlier !== undefined) {
      throw new AppError(
        'duplicate_event',
        `event id ${eventId} is also the id of item ${earlier} of this batch`,
        {
          eventId,
        },
      );
    }
    // A new entry is not read: a retry of a stored report is answered by the store, as for a POST.
    const fresh = plan.newStream === true && expected === undefined && !this.pending.has(plan.stream);
    const history = fresh ? [] : await this.storedHistory(plan.stream);
    const prior = history.find((e) => e.id === eventId);
    if (prior) return { command, result: this.commands.replay(prior, command) };
    const current = fresh ? null : await this.revision(plan.stream);
    if (expected !== undefined) checkExpectedRevision(plan.stream, expected, current);
    const decidedOn = fresh
      ? []
      : await this.domainHistory(plan.stream, { id: eventId, type: command.type.name }, consulted);
    const events = this.commands.eventsOf(command, plan.decide(decidedOn), context);
    this.pending.set(plan.stream, [...(this.pending.get(plan.stream) ?? []), ...events]);
    this.ids.set(eventId, index);
    const after = [...consulted].map((s) => this.writers.get(s)).filter((i): i is number => i !== undefined);
    this.writers.set(plan.stream, index);
    return { command, events, expected: current ?? 'no_stream', after: [...new Set(after)] };
  }

  private async storedHistory(stream: string): Promise<LogEvent[]> {
    let history = this.stored.get(stream);
    if (!history) {
      history = await this.commands.history(stream);
      this.stored.set(stream, history);
    }
    return history;
  }

  /** The batch's events of a stream that the store does not hold yet (a re-run batch's are held). */
  private async unstored(stream: string): Promise<NewEvent[]> {
    const mine = this.pending.get(stream) ?? [];
    if (mine.length === 0) return mine;
    const held = new Set((await this.storedHistory(stream)).map((e) => e.id));
    return mine.filter((e) => !held.has(e.id));
  }

  /** What a command decides on: the stream up to its own event if stored, then the batch's events. */
  private async domainHistory(stream: string, own: OwnEvent, consulted: Set<string>): Promise<DomainEvent[]> {
    const all = await this.storedHistory(stream);
    const stored = before(all, own);
    const mine = stored.length < all.length ? [] : await this.unstored(stream);
    if (mine.length > 0) consulted.add(stream);
    return [
      ...stored.map((e) => ({ type: e.type, data: e.data })),
      ...mine.map((e) => ({ type: e.type, data: e.data })),
    ];
  }

  /** The stream's revision once the batch's earlier events are appended (null: no stream yet). */
  private async revision(stream: string): Promise<bigint | null> {
    const count = (await this.storedHistory(stream)).length + (await this.unstored(stream)).length;
    return count === 0 ? null : BigInt(count - 1); // revisions are contiguous from 0
  }

  /** "@ref" in an entry-id field of `data`: the entry that the batch's item with that `ref` started. */
  private resolveRefs(item: unknown): unknown {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
    const { ref: _ref, ...body } = item as Record<string, unknown>;
    const data = body.data;
    if (!data || typeof data !== 'object' || Array.isArray(data)) return body;
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      const m = typeof value === 'string' && isEntryField(key) ? REF.exec(value) : null;
      if (!m) {
        resolved[key] = value;
        continue;
      }
      const entryId = this.entryOfRef.get(m[1]!);
      if (!entryId) {
        throw AppError.validation([
          {
            path: `data.${key}`,
            message: `${value} names no earlier item of this batch that starts an entry (ref "${m[1]}")`,
          },
        ]);
      }
      resolved[key] = entryId;
    }
    return { ...body, data: resolved };
  }
}

/** The item's `ref`, which later items name as "@ref" (checked: a bad one is the item's error). */
function refOf(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const ref = (item as { ref?: unknown }).ref;
  if (ref === undefined) return undefined;
  if (typeof ref !== 'string' || !REF.test(`@${ref}`)) {
    throw AppError.validation([
      { path: 'ref', message: "ref must be 1-128 letters, digits, '.', ':', '_' or '-'" },
    ]);
  }
  return ref;
}
