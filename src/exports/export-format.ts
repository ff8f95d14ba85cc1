import type { TimelineItem } from '../projections/timeline/timeline.presenter';

/** One export being written: the text before, each page's entries, and the text after. */
export interface ExportWriter {
  head(): string;
  page(items: readonly TimelineItem[]): string;
  tail(): string;
}

/** A format of GET /v1/exports/{format}. */
export interface ExportFormat {
  readonly name: string;
  /** The Content-Type sent. */
  readonly contentType: string;
  /** The file name's ending in Content-Disposition. */
  readonly extension: string;
  /** For the OpenAPI document. */
  readonly description: string;
  /** A writer for one export (writers keep state between pages, e.g. JSON array commas). */
  writer(): ExportWriter;
}

/** Writes the members of a JSON array page by page: commas between them, none before the first. */
export class JsonArrayPart {
  private written = 0;

  /** The page's members as array members, comma-separated from those written before. */
  members(values: readonly unknown[]): string {
    let out = '';
    for (const v of values) out += (this.written++ === 0 ? '\n' : ',\n') + JSON.stringify(v);
    return out;
  }
}

type Item = TimelineItem;

/** Actor names (the id when the actor has no name) of a role, in the report's order. */
export function actorsIn(item: Item, role: string): string[] {
  return item.actors.filter((a) => a.role === role).map((a) => a.name ?? a.actorId);
}

/** The claimants' names (ids when unnamed). */
export const claimantNames = (item: Item): string[] => item.claimants.map((c) => c.name ?? c.actorId);

/** Where the entry happened: its `where` place, else the first one it names; null if none. */
export function mainLocation(item: Item): NonNullable<Item['locations']>[number] | null {
  const places = item.locations ?? [];
  return places.find((l) => l.role === 'where') ?? places[0] ?? null;
}

/** The grade shown: the attribution chain's code when the entry has one, else the source's. */
export const gradeCode = (item: Item): string => item.grade.chain?.code ?? item.grade.code;
