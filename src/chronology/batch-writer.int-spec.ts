import { randomUUID } from 'node:crypto';
import { REGISTRY, reportBase } from '../../test/fixtures/chronology.fixtures';
import { systemPrincipal } from '../auth/access.model';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { uuidV7Generator } from '../shared/ids';
import type { BatchItemOutcome } from './batch.types';
import { ChronologyService, type WriteContext } from './chronology.service';
import { ReferenceChecker } from './reference-checker';

const context: WriteContext = { principal: systemPrincipal('spec'), correlationId: 'c', causationId: null };
/** An outcome as status or error code (the write side's and the store's errors carry one). */
const verdict = (o: BatchItemOutcome): number | string =>
  'result' in o ? o.result.status : ((o.error as { code?: string }).code ?? String(o.error));

/** The bulk path against other writers and failing items (a real SQLite store, in memory). */
describe('BatchWriter', () => {
  let store: SqliteEventStore;
  let service: ChronologyService;

  beforeEach(async () => {
    store = new SqliteEventStore({ file: ':memory:' });
    service = new ChronologyService(store, uuidV7Generator, new ReferenceChecker(store));
    for (const e of REGISTRY) await service.post(e, undefined, context);
  });
  afterEach(() => store.close());

  const types = async (stream: string): Promise<string[]> =>
    (await store.readStream(stream)).map((e) => e.type);

  it('never stores an item on a history it was not decided on: another writer retracts the entry meanwhile', async () => {
    const { entryId } = (
      await service.post({ type: 'StatementMade', data: reportBase(3) }, undefined, context)
    ).body;
    const single = service.post(
      { type: 'EntryRetracted', data: { entryId, reason: 'wrong' } },
      undefined,
      context,
    );
    const batch = service.postMany(
      [
        { type: 'EntryCorroborated', data: { entryId, sourceId: 'reuters' } },
        { type: 'EntryDisputed', data: { entryId, byActorId: 'ukraine', reason: 'no' } },
      ],
      context,
    );
    const [, outcomes] = await Promise.all([single, batch]);
    expect(await types(`entry-${entryId}`)).toEqual(['StatementMade', 'EntryRetracted']);
    expect(outcomes.map(verdict)).toEqual(['entry_retracted', 'entry_retracted']);
  });

  it('does not store an item naming what an earlier item of the batch failed to store', async () => {
    const { id } = (await service.post({ type: 'StatementMade', data: reportBase(5) }, undefined, context))
      .body;
    const outcomes = await service.postMany(
      [
        {
          id,
          type: 'ActorRegistered',
          data: { actorId: 'ghost', name: 'Ghost', kind: 'state', countryCode: 'FR' },
        },
        { type: 'StatementMade', data: reportBase(6, { actors: [{ actorId: 'ghost', role: 'claimant' }] }) },
      ],
      context,
    );
    expect(outcomes.map(verdict)).toEqual(['duplicate_event', 'unknown_reference']);
    expect(await store.streamRevision('actor-ghost')).toBeNull();
  });

  it('answers a batch sent again from what is stored, refs of items stored before included', async () => {
    const items = [
      {
        ref: 'a',
        id: randomUUID(),
        expectedRevision: 'no_stream',
        type: 'StatementMade',
        data: reportBase(7),
      },
      { id: randomUUID(), type: 'EntryCorroborated', data: { entryId: '@a', sourceId: 'reuters' } },
    ];
    expect((await service.postMany(items, context)).map(verdict)).toEqual([201, 201]);
    expect((await service.postMany(items, context)).map(verdict)).toEqual([200, 200]);
  });
});
