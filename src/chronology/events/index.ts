/** The public face of the event catalogue: what projections and other modules may import. */
export * from './event-type';
export * from './event-data';
export * from './entry-status';
export * from './vocabulary';
export * from './report-type-names';
export { REPORT_TYPES } from './report.events';
export { FOLLOW_UP_TYPES } from './follow-up.events';
export { LINK_TYPES } from './link.events';
export { MEASURE_TYPES, measureCodes, phaseOf, type MeasurePhase } from './measure.events';
export { ACTOR_TYPES, SOURCE_TYPES, CRISIS_TYPES } from './registry.events';
export { CATALOGUE, KNOWN_TYPES, lookupEventType } from './catalogue';
export * from './stored-events';
export * from './streams';
export { decodeEvent, sameEvent, isStoredEventType, UndecodableEvent, CURRENT_VERSIONS } from './decode';
