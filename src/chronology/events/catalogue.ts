import type { EventType } from './event-type';
import { FOLLOW_UP_TYPES } from './follow-up.events';
import { LINK_TYPES } from './link.events';
import { MEASURE_TYPES } from './measure.events';
import { ACTOR_TYPES, CRISIS_TYPES, SOURCE_TYPES } from './registry.events';
import { REPORT_TYPES } from './report.events';

const ALL_TYPES = [
  ...REPORT_TYPES,
  ...FOLLOW_UP_TYPES,
  ...LINK_TYPES,
  ...MEASURE_TYPES,
  ...ACTOR_TYPES,
  ...SOURCE_TYPES,
  ...CRISIS_TYPES,
] as const;

/** The name of every type a client may post. */
export type KnownTypeName = (typeof ALL_TYPES)[number]['name'];

/** Every event type a client may post, by name. */
export const CATALOGUE: ReadonlyMap<string, EventType> = new Map(
  ALL_TYPES.map((t) => [t.name, t as unknown as EventType] as const),
);

export const KNOWN_TYPES: readonly string[] = [...CATALOGUE.keys()];

export function lookupEventType(name: string): EventType | undefined {
  return CATALOGUE.get(name);
}
