import {
  AccusationMadeDto,
  CeasefireViolationReportedDto,
  DenialIssuedDto,
  DeploymentAnnouncedDto,
  DiplomatExpelledDto,
  DiplomaticContactHeldDto,
  IncidentReportedDto,
  MarketMoveReportedDto,
  RecognitionDeclaredDto,
  RecognitionRequestedDto,
  SanctionsAnnouncedDto,
  ShellingAllegedDto,
  StatementMadeDto,
  TroopBuildupReportedDto,
  TroopWithdrawalClaimedDto,
} from '../dto/report-types.dto';
import type { ReportTypeName } from './report-type-names';
import type { ContactMode } from './vocabulary';
import { eventType, type Codes } from './event-type';

/** ACLED: Strategic developments -> Change to group/activity (movements of forces). */
const ACLED_FORCE_MOVEMENT = {
  eventType: 'Strategic developments',
  subEventType: 'Change to group/activity',
};

/** CAMEO 04x by how the parties consulted; PLOVER CONSULT with the mode where PLOVER has one. */
const CONTACT: Record<ContactMode, Codes> = {
  phone: { cameo: ['041'], plover: { type: 'CONSULT', mode: 'phone' } },
  visit: { cameo: ['042'], plover: { type: 'CONSULT', mode: 'visit' } },
  'host-visit': { cameo: ['043'], plover: { type: 'CONSULT', mode: 'visit' } },
  'third-location': { cameo: ['044'], plover: { type: 'CONSULT' } },
  letter: { cameo: ['040'], plover: { type: 'CONSULT' } },
  video: { cameo: ['040'], plover: { type: 'CONSULT' } },
  meeting: { cameo: ['040'], plover: { type: 'CONSULT' } },
};

export const TroopBuildupReported = eventType({
  name: 'TroopBuildupReported',
  schemaVersion: 2,
  family: 'report',
  dto: TroopBuildupReportedDto,
  description: 'Forces reported massing or moving towards an area.',
  codes: () => ({
    cameo: ['154'],
    plover: { type: 'MOBILIZE', mode: 'troops' },
    acled: ACLED_FORCE_MOVEMENT,
  }),
});

export const TroopWithdrawalClaimed = eventType({
  name: 'TroopWithdrawalClaimed',
  schemaVersion: 2,
  family: 'report',
  dto: TroopWithdrawalClaimedDto,
  description: 'A party claims forces are pulling back (de-escalation).',
  codes: () => ({ cameo: ['087'], plover: { type: 'RETREAT' }, acled: ACLED_FORCE_MOVEMENT }),
});

export const DeploymentAnnounced = eventType({
  name: 'DeploymentAnnounced',
  schemaVersion: 2,
  family: 'report',
  dto: DeploymentAnnouncedDto,
  description: 'A party announces sending forces or assets somewhere.',
  codes: () => ({ cameo: ['154', '062'], plover: { type: 'MOBILIZE' }, acled: ACLED_FORCE_MOVEMENT }),
});

export const DiplomatExpelled = eventType({
  name: 'DiplomatExpelled',
  schemaVersion: 2,
  family: 'report',
  dto: DiplomatExpelledDto,
  description: 'A state expels a diplomat of another.',
  codes: () => ({ cameo: ['174'], plover: { type: 'SANCTION', mode: 'expel' } }),
});

export const ShellingAlleged = eventType({
  name: 'ShellingAlleged',
  schemaVersion: 2,
  family: 'report',
  dto: ShellingAllegedDto,
  description: 'Artillery or heavy-weapons fire alleged by a party.',
  codes: () => ({
    cameo: ['194'],
    plover: { type: 'ASSAULT', mode: 'heavy-weapons' },
    acled: { eventType: 'Explosions/Remote violence', subEventType: 'Shelling/artillery/missile attack' },
  }),
});

export const CeasefireViolationReported = eventType({
  name: 'CeasefireViolationReported',
  schemaVersion: 2,
  family: 'report',
  dto: CeasefireViolationReportedDto,
  description: 'Violations of a ceasefire line reported.',
  codes: () => ({ cameo: ['196'] }),
});

export const StatementMade = eventType({
  name: 'StatementMade',
  schemaVersion: 2,
  family: 'report',
  dto: StatementMadeDto,
  description: 'A public statement by an actor.',
  codes: () => ({ cameo: ['010'] }),
});

export const AccusationMade = eventType({
  name: 'AccusationMade',
  schemaVersion: 2,
  family: 'report',
  dto: AccusationMadeDto,
  description: 'An actor accuses another of something.',
  codes: () => ({ cameo: ['112'], plover: { type: 'ACCUSE', mode: 'allege' } }),
});

export const DenialIssued = eventType({
  name: 'DenialIssued',
  schemaVersion: 2,
  family: 'report',
  dto: DenialIssuedDto,
  description: 'An actor denies an accusation or a claim.',
  codes: () => ({ cameo: ['016'] }),
});

export const DiplomaticContactHeld = eventType({
  name: 'DiplomaticContactHeld',
  schemaVersion: 2,
  family: 'report',
  dto: DiplomaticContactHeldDto,
  description: 'A call, visit, meeting or letter between parties.',
  codes: (data) => CONTACT[data.mode],
});

export const SanctionsAnnounced = eventType({
  name: 'SanctionsAnnounced',
  schemaVersion: 2,
  family: 'report',
  dto: SanctionsAnnouncedDto,
  description: 'Sanctions threatened or imposed.',
  codes: (data) =>
    data.status === 'imposed'
      ? { cameo: ['163'], plover: { type: 'SANCTION' } }
      : { cameo: ['1312'], plover: { type: 'THREATEN' } },
});

export const RecognitionRequested = eventType({
  name: 'RecognitionRequested',
  schemaVersion: 2,
  family: 'report',
  dto: RecognitionRequestedDto,
  description: 'A request that territories be recognised (CAMEO 022, appeal for diplomatic cooperation).',
  codes: () => ({ cameo: ['022'] }),
});

export const RecognitionDeclared = eventType({
  name: 'RecognitionDeclared',
  schemaVersion: 2,
  family: 'report',
  dto: RecognitionDeclaredDto,
  description: 'Diplomatic recognition granted (CAMEO 054).',
  codes: () => ({ cameo: ['054'] }),
});

export const MarketMoveReported = eventType({
  name: 'MarketMoveReported',
  schemaVersion: 2,
  family: 'report',
  dto: MarketMoveReportedDto,
  description: 'Economic context: a market moved (no CAMEO code).',
  codes: () => ({ cameo: [] }),
});

export const IncidentReported = eventType({
  name: 'IncidentReported',
  schemaVersion: 2,
  family: 'report',
  dto: IncidentReportedDto,
  description: 'Anything else, with a PLOVER type given by the poster.',
  codes: (data) => ({
    cameo: data.cameo ? [data.cameo] : [],
    plover: data.plover.mode
      ? { type: data.plover.type, mode: data.plover.mode }
      : { type: data.plover.type },
  }),
});

export const REPORT_TYPES = [
  TroopBuildupReported,
  TroopWithdrawalClaimed,
  DeploymentAnnounced,
  DiplomatExpelled,
  ShellingAlleged,
  CeasefireViolationReported,
  StatementMade,
  AccusationMade,
  DenialIssued,
  DiplomaticContactHeld,
  SanctionsAnnounced,
  RecognitionRequested,
  RecognitionDeclared,
  MarketMoveReported,
  IncidentReported,
] as const;

// Compile-time check that the catalogue and the plain list of names agree.
type CatalogueNames = (typeof REPORT_TYPES)[number]['name'];
const _sameNames: [CatalogueNames, ReportTypeName] extends [ReportTypeName, CatalogueNames] ? true : never =
  true;
void _sameNames;
