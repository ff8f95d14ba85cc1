import type { ClassConstructor } from 'class-transformer';

export type EventFamily = 'report' | 'follow-up' | 'link' | 'measure' | 'actor' | 'source' | 'crisis';

/** CAMEO / PLOVER / ACLED codes of an event: mapped to the reference taxonomies, never invented. */
export interface Codes {
  readonly cameo: readonly string[];
  readonly plover?: { readonly type: string; readonly mode?: string };
  readonly acled?: { readonly eventType: string; readonly subEventType: string };
}

/** An event type is a value: its name, schema version, family, request DTO and codes. */
export interface EventType<Dto extends object = object, Name extends string = string> {
  readonly name: Name;
  readonly schemaVersion: number;
  readonly family: EventFamily;
  readonly dto: ClassConstructor<Dto>;
  readonly description: string;
  /** Codes of a report, from its type and (for some types) its data. */
  readonly codes?: (data: Dto) => Codes;
}

export function eventType<Name extends string, Dto extends object>(
  def: EventType<Dto, Name>,
): EventType<Dto, Name> {
  return Object.freeze(def);
}
