import {
  CredibilityAssessedDto,
  EntryCorrectedDto,
  EntryCorroboratedDto,
  EntryDisputedDto,
  EntryRetractedDto,
} from '../dto/follow-up.dto';
import { eventType } from './event-type';

export const EntryCorroborated = eventType({
  name: 'EntryCorroborated',
  schemaVersion: 1,
  family: 'follow-up',
  dto: EntryCorroboratedDto,
  description: 'Another source carries the same claim.',
});

export const EntryDisputed = eventType({
  name: 'EntryDisputed',
  schemaVersion: 1,
  family: 'follow-up',
  dto: EntryDisputedDto,
  description: 'An actor disputes the claim, optionally linking its counter-claim.',
});

export const EntryCorrected = eventType({
  name: 'EntryCorrected',
  schemaVersion: 2,
  family: 'follow-up',
  dto: EntryCorrectedDto,
  description: 'Correctable fields of the report are changed; the original stays in the history.',
});

export const EntryRetracted = eventType({
  name: 'EntryRetracted',
  schemaVersion: 1,
  family: 'follow-up',
  dto: EntryRetractedDto,
  description: 'The entry is withdrawn; it takes no further follow-ups except an assessment.',
});

export const CredibilityAssessed = eventType({
  name: 'CredibilityAssessed',
  schemaVersion: 1,
  family: 'follow-up',
  dto: CredibilityAssessedDto,
  description: 'Information credibility graded 1 (confirmed) to 6 (cannot be judged).',
});

export const FOLLOW_UP_TYPES = [
  EntryCorroborated,
  EntryDisputed,
  EntryCorrected,
  EntryRetracted,
  CredibilityAssessed,
] as const;
