import { MeasureRegisteredDto, MeasureStatusChangedDto } from '../dto/measure.dto';
import type { Codes } from './event-type';
import { eventType } from './event-type';
import type { MeasureKind, MeasureState } from './vocabulary';

export const MeasureRegistered = eventType({
  name: 'MeasureRegistered',
  schemaVersion: 1,
  family: 'measure',
  dto: MeasureRegisteredDto,
  description:
    'A measure of a crisis as an entity (sanctions, an asset freeze, an airspace closure, halting an energy project, suspending a treaty...): who takes it, against whom.',
});

export const MeasureStatusChanged = eventType({
  name: 'MeasureStatusChanged',
  schemaVersion: 1,
  family: 'measure',
  dto: MeasureStatusChangedDto,
  description:
    'A measure moves along its lifecycle (discussed, proposed, planned, announced, imposed, extended, partly-lifted, suspended, lifted), from a date, as a source says; codes follow the kind and the state.',
});

export const MEASURE_TYPES = [MeasureRegistered, MeasureStatusChanged] as const;

/** Where a state sits in the lifecycle: before the measure is in force, in force, or eased. */
export type MeasurePhase = 'intent' | 'in-force' | 'eased';

export function phaseOf(state: MeasureState): MeasurePhase {
  if (state === 'imposed' || state === 'extended') return 'in-force';
  if (state === 'partly-lifted' || state === 'suspended' || state === 'lifted') return 'eased';
  return 'intent';
}

/** CAMEO codes of a kind of measure by phase: threatened, imposed, eased. PLOVER by phase. */
const ECONOMIC = { intent: '1312', 'in-force': '163', eased: '085' };
const CAMEO: Record<MeasureKind, Record<MeasurePhase, string>> = {
  sanctions: ECONOMIC,
  'asset-freeze': ECONOMIC,
  'export-control': ECONOMIC,
  'trade-restriction': ECONOMIC,
  'energy-project-halt': ECONOMIC,
  'travel-ban': ECONOMIC,
  'airspace-closure': ECONOMIC,
  // Reduce or break diplomatic relations, threatened; restored (establish relations).
  'diplomatic-downgrade': { intent: '1313', 'in-force': '161', eased: '064' },
  // Reduce relations, threatened (non-force); yield.
  'treaty-suspension': { intent: '131', 'in-force': '160', eased: '080' },
  other: { intent: '131', 'in-force': '160', eased: '080' },
};
const PLOVER: Record<MeasurePhase, string> = { intent: 'THREATEN', 'in-force': 'SANCTION', eased: 'CONCEDE' };

/**
 * The codes of a measure's change of state. CAMEO 1312 "threaten with sanctions, boycott or
 * embargo", 163 "impose embargo, boycott or sanctions", 085 "ease economic sanctions, boycott or
 * embargo"; 1313 / 161 / 064 for diplomatic relations; 131 / 160 / 080 otherwise.
 */
export function measureCodes(kind: MeasureKind, state: MeasureState): Codes {
  const phase = phaseOf(state);
  return { cameo: [CAMEO[kind][phase]], plover: { type: PLOVER[phase] } };
}
