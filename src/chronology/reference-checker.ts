import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, isStreamNotFound, type EventStore } from '../event-store';
import { AppError } from '../shared/errors';
import type { Reference } from './command-plan';
import { fold, type DomainEvent } from './decider';
import { decodeEvent } from './events/decode';
import { streamOf } from './events/streams';
import { ownActorOf, sourceDecider, type SourceEvent } from './source/source.decider';

const FIELD: Record<Reference['kind'], string> = {
  actor: 'actorId',
  source: 'sourceId',
  crisis: 'crisisId',
  entry: 'entryId',
  measure: 'measureId',
};
const NOUN: Record<Reference['kind'], string> = {
  actor: 'actor',
  source: 'source',
  crisis: 'crisis',
  entry: 'entry',
  measure: 'measure',
};
const MAX_KNOWN = 100_000;

/**
 * Checks that referenced actors, sources, crises and entries exist, by asking the event store for
 * their streams (the write side never reads a read model). Streams are never deleted, so a stream
 * seen once is remembered. An actor exists too as a source's own actor: created by the
 * SourceRegistered of the source with the same id (on the source's stream, see source.intake.ts).
 */
@Injectable()
export class ReferenceChecker {
  private readonly known = new Set<string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * `exists`: streams known to exist besides the store's (a batch's own, created before the
   * command); `read`: a stream's events with those of the batch on top, for a source the batch
   * registered, whose own actor is named.
   */
  async assertExist(
    references: readonly Reference[],
    exists?: (stream: string) => boolean,
    read?: (stream: string) => Promise<readonly DomainEvent[]>,
  ): Promise<void> {
    const missing: Reference[] = [];
    const checked = new Map<string, boolean>();
    for (const ref of references) {
      const stream = streamOf(ref.kind, ref.id);
      let found = this.known.has(stream) || exists?.(stream) || checked.get(stream);
      if (found === undefined) {
        found = (await this.store.streamRevision(stream)) !== null;
        // A source's own actor: remembered only when stored (a batch's may not be committed).
        const own = !found && ref.kind === 'actor' ? await this.ownActorIn(ref.id, exists, read) : null;
        if (own) found = true;
        checked.set(stream, found);
        if (found && own !== 'batch') this.remember(stream);
      }
      if (!found) missing.push(ref);
    }
    if (missing.length === 0) return;
    const unknown: Record<string, string[]> = {};
    for (const ref of missing) {
      const ids = (unknown[FIELD[ref.kind]] ??= []);
      if (!ids.includes(ref.id)) ids.push(ref.id);
    }
    const names = missing.map((r) => `${NOUN[r.kind]} "${r.id}"`);
    throw new AppError('unknown_reference', `unknown ${[...new Set(names)].join(', ')}`, {
      errors: missing.map((r) => ({ path: r.path, message: `${NOUN[r.kind]} "${r.id}" does not exist` })),
      unknown,
    });
  }

  /**
   * Where the source with this id was registered with an own actor of that id: in the store, in
   * the batch (read with the batch's events), or nowhere (null; a source registered before own
   * actors has none). Stored registrations are immutable, so a stored one may be remembered.
   */
  private async ownActorIn(
    actorId: string,
    exists?: (stream: string) => boolean,
    read?: (stream: string) => Promise<readonly DomainEvent[]>,
  ): Promise<'store' | 'batch' | null> {
    const stream = streamOf('source', actorId);
    if (exists?.(stream) && read) {
      const state = fold(sourceDecider, (await read(stream)) as SourceEvent[]);
      return ownActorOf(state)?.actorId === actorId ? 'batch' : null;
    }
    try {
      const [first] = await this.store.readStream(stream, { maxCount: 1 });
      const event = first ? decodeEvent(first) : null;
      return event?.type === 'SourceRegistered' && event.data.ownActor?.actorId === actorId ? 'store' : null;
    } catch (e) {
      if (isStreamNotFound(e)) return null;
      throw e;
    }
  }

  private remember(stream: string): void {
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.add(stream);
  }
}
