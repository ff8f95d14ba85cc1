import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store';
import { AppError } from '../shared/errors';
import type { Reference } from './command-plan';
import { streamOf } from './events/streams';

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
 * seen once is remembered.
 */
@Injectable()
export class ReferenceChecker {
  private readonly known = new Set<string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** `exists`: streams known to exist besides the store's (a batch's own, created before the command). */
  async assertExist(references: readonly Reference[], exists?: (stream: string) => boolean): Promise<void> {
    const missing: Reference[] = [];
    const checked = new Map<string, boolean>();
    for (const ref of references) {
      const stream = streamOf(ref.kind, ref.id);
      let found = this.known.has(stream) || exists?.(stream) || checked.get(stream);
      if (found === undefined) {
        found = (await this.store.streamRevision(stream)) !== null;
        checked.set(stream, found);
        if (found) this.remember(stream);
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

  private remember(stream: string): void {
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.add(stream);
  }
}
