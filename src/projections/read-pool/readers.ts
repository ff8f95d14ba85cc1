import type { ReadDb } from '../projection';
import { ActorsReader } from '../actors/actors.reader';
import { DigestReader } from '../projection-digest';
import { LogReader } from '../log/log.reader';
import { MeasuresReader } from '../measures/measures.reader';
import { SourcesReader } from '../sources/sources.reader';
import { ActorInvolvementReader } from '../timeline/actor-involvement.reader';
import { TimelineReader } from '../timeline/timeline.reader';

/** The read side's readers over one connection. */
export interface Readers {
  readonly log: LogReader;
  readonly sources: SourcesReader;
  readonly actors: ActorsReader;
  readonly timeline: TimelineReader;
  readonly measures: MeasuresReader;
  readonly digests: DigestReader;
}

export function createReaders(db: ReadDb): Readers {
  const sources = new SourcesReader(db);
  const actors = new ActorsReader(db, new ActorInvolvementReader(db));
  const timeline = new TimelineReader(db, actors, sources);
  return {
    log: new LogReader(db),
    sources,
    actors,
    timeline,
    measures: new MeasuresReader(db),
    digests: new DigestReader(db),
  };
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

/** A reader's answer as JSON text, for a route that sends it on without parsing it. */
export type Json<T> = string & { readonly __of?: T };

type JsonPart<T> = {
  readonly [K in keyof AsyncPart<T>]: AsyncPart<T>[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<Json<R>>
    : never;
};

/** The readers answering in JSON: the heavy routes' answers never become objects on the loop. */
export type JsonReaders = { readonly [R in keyof Readers]: JsonPart<Readers[R]> };

/** Injection token of the JsonReaders. */
export const JSON_READERS = Symbol('JSON_READERS');

/** Readers on the loop, answering in JSON (READ_WORKERS=0). */
export function jsonReaders(readers: PooledReaders): JsonReaders {
  const wrap = (reader: object) =>
    new Proxy(reader, {
      get: (target, method) => {
        const fn = Reflect.get(target, method) as (...a: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => JSON.stringify(await fn.apply(target, args)) ?? 'null';
      },
    });
  return {
    log: wrap(readers.log),
    sources: wrap(readers.sources),
    actors: wrap(readers.actors),
    timeline: wrap(readers.timeline),
    measures: wrap(readers.measures),
    digests: wrap(readers.digests),
  } satisfies Record<ReaderName, object> as unknown as JsonReaders;
}

/**
 * A JSON object's text with `extra`'s members added in front (the route's position and asOf
 * beside a reader's page), without parsing it.
 */
export function withMembers(json: string, extra: Record<string, unknown>): string {
  const members = JSON.stringify(extra).slice(1, -1);
  if (members === '') return json;
  return json === '{}' ? `{${members}}` : `{${members},${json.slice(1)}`;
}
