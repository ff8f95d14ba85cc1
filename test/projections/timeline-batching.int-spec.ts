import { REGISTRY, REPORTS } from '../fixtures/chronology.fixtures';
import { systemPrincipal } from '../../src/auth/access.model';
import { ChronologyService, type WriteContext } from '../../src/chronology/chronology.service';
import { decodeEvent } from '../../src/chronology/events';
import { ReferenceChecker } from '../../src/chronology/reference-checker';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { uuidV7Generator } from '../../src/shared/ids';
import { openSqlite } from '../../src/shared/sqlite';
import { handlesType, inBatch, tablesOf } from '../../src/projections/projection';
import { digestTables } from '../../src/projections/projection-digest';
import { timelineProjection } from '../../src/projections/timeline/timeline.projection';

const context: WriteContext = { principal: systemPrincipal('spec'), correlationId: 'c', causationId: null };

/** A read model is a function of the log: how the runner cut it into batches must not show. */
describe('the timeline projection, batch by batch', () => {
  it('is the same whether the log is applied in one batch, one event at a time, or in batches of 3', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const service = new ChronologyService(store, uuidV7Generator, new ReferenceChecker(store));
    const post = (type: string, data: Record<string, unknown>) =>
      service.post({ type, data }, undefined, context);
    for (const e of REGISTRY) await post(e.type, e.data);
    const entries: string[] = [];
    for (const r of REPORTS) entries.push((await post(r.type, r.data)).body.entryId!);
    const [a, , c] = entries as [string, string, string];
    await post('EntryDisputed', { entryId: a, byActorId: 'ukraine', reason: 'no' });
    await post('EntryRetracted', { entryId: a, reason: 'withdrawn' }); // 'disputed' falls back to zero
    await post('EntryLinked', { fromEntryId: a, toEntryId: c, relation: 'precedes', sourceId: 'reuters' });
    const events = (await store.readAll({ maxCount: 10_000 })).map((e) => decodeEvent(e));
    await store.close();

    const digestIn = (batch: number): string => {
      const db = openSqlite(':memory:', { synchronous: 'NORMAL' });
      const t = tablesOf(timelineProjection.name);
      db.exec(timelineProjection.schema(t));
      const apply = timelineProjection.bind(db, t);
      for (let i = 0; i < events.length; i += batch) {
        inBatch(db, [apply], () =>
          events.slice(i, i + batch).forEach((e, j) => {
            if (handlesType(timelineProjection, e.type)) apply(e, { seq: i + j + 1 });
          }),
        );
      }
      return digestTables(db, timelineProjection.tables, t);
    };
    const whole = digestIn(events.length);
    expect(digestIn(1)).toBe(whole);
    expect(digestIn(3)).toBe(whole);
  });
});
