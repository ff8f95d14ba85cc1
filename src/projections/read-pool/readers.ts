import type { ReadDb } from '../projection';
import { ActorsReader } from '../actors/actors.reader';
import { LogReader } from '../log/log.reader';
import { SourcesReader } from '../sources/sources.reader';
import { ActorInvolvementReader } from '../timeline/actor-involvement.reader';
import { TimelineReader } from '../timeline/timeline.reader';

/** The read side's readers over one connection. */
export interface Readers {
  readonly log: LogReader;
  readonly sources: SourcesReader;
  readonly actors: ActorsReader;
  readonly timeline: TimelineReader;
}

export function createReaders(db: ReadDb): Readers {
  const sources = new SourcesReader(db);
  const actors = new ActorsReader(db, new ActorInvolvementReader(db));
  return { log: new LogReader(db), sources, actors, timeline: new TimelineReader(db, actors, sources) };
}

type AsyncKeys<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof T];

/** The async methods of a reader: what can run elsewhere, with plain values in and out. */
export type AsyncPart<T> = Pick<T, AsyncKeys<T>>;

/** The readers as the read routes use them: in the read pool's workers, or on the loop. */
export type PooledReaders = { readonly [R in keyof Readers]: AsyncPart<Readers[R]> };

export type ReaderName = keyof Readers;

/** Injection token of the PooledReaders. */
export const READERS = Symbol('READERS');
