import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { APP_CONFIG, type AppConfig } from '../../config';
import { EVENT_STORE, EventStoreUnavailable, type EventStore } from '../../event-store';
import { systemPrincipal } from '../../auth/access.model';
import { deriveId } from '../../shared/ids';
import { ChronologyService } from '../chronology.service';

/** One item of sample/chronology.json: `ref` names it; "@ref" strings in data name the entry it started. */
export interface SampleItem {
  readonly ref: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface SampleFile {
  readonly description?: string;
  readonly events: readonly SampleItem[];
}

/** The event id of a sample item: stable, so loading twice stores nothing twice. */
export const sampleEventId = (ref: string): string => deriveId('sample', ref);
export const sampleEntryId = (ref: string): string => deriveId('entry', sampleEventId(ref));

function resolveRefs(value: unknown, refs: ReadonlySet<string>): unknown {
  if (typeof value === 'string' && value.startsWith('@')) {
    const ref = value.slice(1);
    if (!refs.has(ref)) throw new Error(`sample refers to @${ref}, which is not an earlier item`);
    return sampleEntryId(ref);
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, refs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, refs)]));
  }
  return value;
}

/** Posts every sample item through the same path as HTTP (validation, deciders, references). */
export async function loadSample(service: ChronologyService, sample: SampleFile): Promise<number> {
  const principal = systemPrincipal('sample');
  const refs = new Set<string>();
  let written = 0;
  for (const item of sample.events) {
    if (refs.has(item.ref)) throw new Error(`sample ref ${item.ref} is used twice`);
    const body = { id: sampleEventId(item.ref), type: item.type, data: resolveRefs(item.data, refs) };
    try {
      const result = await service.post(body, undefined, {
        principal,
        correlationId: 'sample-load',
        causationId: null,
      });
      if (result.status === 201) written++;
    } catch (e) {
      throw new Error(`sample item ${item.ref} (${item.type}) was refused: ${(e as Error).message}`, {
        cause: e,
      });
    }
    refs.add(item.ref);
  }
  return written;
}

export function readSample(file: string): SampleFile {
  return JSON.parse(readFileSync(file, 'utf8')) as SampleFile;
}

/** On an empty log, loads the sample chronology so a new user sees a real timeline at once. */
@Injectable()
export class SampleLoader implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Sample');
  private logWasEmpty = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly service: ChronologyService,
  ) {}

  async onModuleInit(): Promise<void> {
    // Decided before any module writes at bootstrap (the first admin key), so "empty" means empty.
    try {
      this.logWasEmpty = (await this.store.headPosition()) === null;
    } catch (e) {
      if (!(e instanceof EventStoreUnavailable)) throw e;
      this.logger.warn(
        `event store unreachable at start: the sample chronology is not loaded (${e.message})`,
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.loadSample || !this.logWasEmpty) return;
    const sample = readSample(this.config.sampleFile);
    const written = await loadSample(this.service, sample);
    this.logger.log(`loaded the sample chronology: ${written} events from ${this.config.sampleFile}`);
  }
}
