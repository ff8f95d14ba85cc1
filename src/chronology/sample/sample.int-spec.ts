import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../config';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { uuidV7Generator } from '../../shared/ids';
import { ChronologyService } from '../chronology.service';
import { REPORT_TYPE_NAMES } from '../events';
import { ReferenceChecker } from '../reference-checker';
import { loadSample, readSample } from './sample-loader';

describe('the sample chronology (sample/chronology.json)', () => {
  const sample = readSample(join(packageRoot(), 'sample', 'chronology.json'));
  let dir: string;
  let store: SqliteEventStore;
  let service: ChronologyService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-sample-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db') });
    service = new ChronologyService(store, uuidV7Generator, new ReferenceChecker(store));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is accepted whole by the write side (validation, references, deciders)', async () => {
    const written = await loadSample(service, sample);
    expect(written).toBe(sample.events.length);
    const all = await store.readAll({ maxCount: 10_000 });
    expect(all).toHaveLength(sample.events.length);
  });

  it('holds 40 to 60 events, with reports, follow-ups, actors, sources and grades', () => {
    const types = sample.events.map((e) => e.type);
    expect(types.length).toBeGreaterThanOrEqual(40);
    expect(types.length).toBeLessThanOrEqual(60);
    for (const needed of [
      'CrisisRegistered',
      'ActorRegistered',
      'SourceRegistered',
      'SourceGraded',
      'EntryDisputed',
      'EntryCorroborated',
    ]) {
      expect(types).toContain(needed);
    }
    expect(
      types.filter((t) => (REPORT_TYPE_NAMES as readonly string[]).includes(t)).length,
    ).toBeGreaterThanOrEqual(15);
  });

  it('loads idempotently: a second load stores nothing', async () => {
    await loadSample(service, sample);
    const head = await store.headPosition();
    expect(await loadSample(service, sample)).toBe(0);
    expect(await store.headPosition()).toEqual(head);
  });
});
