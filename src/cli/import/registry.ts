import { v5 as uuidv5 } from 'uuid';
import type { Http } from '../http-client';
import type { EventBody } from './import-batches';

/** Namespace of the ids the import derives (UUIDv5): the same input gives the same id, run after run. */
export const IMPORT_NAMESPACE = 'c7a4e3f2-5b1d-5e8a-9f0c-2d6b8a4e1c37';

export const importId = (name: string): string => uuidv5(name, IMPORT_NAMESPACE);

const norm = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** A lowercase slug of a name (letters and digits of its ASCII folding, single hyphens). */
export function slugOf(name: string, prefix: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || `${prefix}-${importId(norm(name)).slice(0, 8)}`;
}

interface Listed {
  items: Array<{ actorId?: string; sourceId?: string; crisisId?: string; name: string; aliases?: string[] }>;
  nextCursor?: string | null;
}

/**
 * Actors, sources and crises by name, as the server lists them, and the registrations an import
 * adds for names it does not know. Each registration's event id derives from the new id, so a
 * second run sends the same event (answered "already stored") or, finding the name, none.
 */
export class Registry {
  private readonly actors = new Map<string, string>();
  private readonly sources = new Map<string, string>();
  private readonly crises = new Set<string>();
  /** Ids taken by actors or sources (a source's own actor takes the source's id). */
  private readonly taken = new Set<string>();
  readonly registered: { actors: string[]; sources: string[]; crises: string[] } = {
    actors: [],
    sources: [],
    crises: [],
  };
  /** Whether the server's registries were read (false: a dry run that could not reach it). */
  online = false;

  constructor(
    private readonly mappedActors: Readonly<Record<string, string>> = {},
    private readonly mappedSources: Readonly<Record<string, string>> = {},
  ) {}

  async load(http: Http): Promise<void> {
    let cursor: string | null | undefined = null;
    do {
      const page: Listed = await http.getJson<Listed>(
        `/v1/actors?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const a of page.items) this.know(this.actors, a.actorId!, [a.name, ...(a.aliases ?? [])]);
      cursor = page.nextCursor;
    } while (cursor);
    for (const s of (await http.getJson<Listed>('/v1/sources')).items)
      this.know(this.sources, s.sourceId!, [s.name]);
    for (const c of (await http.getJson<Listed>('/v1/crises')).items) this.crises.add(c.crisisId!);
    this.online = true;
  }

  private know(byName: Map<string, string>, id: string, names: string[]): void {
    this.taken.add(id);
    for (const n of names) if (!byName.has(norm(n))) byName.set(norm(n), id);
  }

  private freeId(name: string, prefix: string): string {
    const base = slugOf(name, prefix);
    let id = base;
    for (let i = 2; this.taken.has(id); i++) id = `${base}-${i}`;
    this.taken.add(id);
    return id;
  }

  /** The actor of this name: mapped, registered, or registered now (its event pushed onto `events`). */
  actor(name: string, kind: string, events: EventBody[]): string {
    const mapped = this.mappedActors[name];
    if (mapped) return mapped;
    const known = this.actors.get(norm(name));
    if (known) return known;
    const actorId = this.freeId(name, 'actor');
    this.actors.set(norm(name), actorId);
    this.registered.actors.push(actorId);
    events.push({
      id: importId(`actor:${actorId}`),
      type: 'ActorRegistered',
      data: { actorId, name: name.trim().slice(0, 200), kind },
    });
    return actorId;
  }

  source(name: string, kind: string, events: EventBody[]): string {
    const mapped = this.mappedSources[name];
    if (mapped) return mapped;
    const known = this.sources.get(norm(name));
    if (known) return known;
    const sourceId = this.freeId(name, 'source');
    this.sources.set(norm(name), sourceId);
    this.registered.sources.push(sourceId);
    events.push({
      id: importId(`source:${sourceId}`),
      type: 'SourceRegistered',
      data: { sourceId, name: name.trim().slice(0, 200), kind },
    });
    return sourceId;
  }

  crisis(crisisId: string, name: string | undefined, events: EventBody[]): void {
    if (this.crises.has(crisisId)) return;
    this.crises.add(crisisId);
    this.registered.crises.push(crisisId);
    events.push({
      id: importId(`crisis:${crisisId}`),
      type: 'CrisisRegistered',
      data: { crisisId, name: name ?? crisisId },
    });
  }
}
