/** Names of the report types (each starts an entry); kept free of DTOs so deciders stay light. */
export const REPORT_TYPE_NAMES = [
  'TroopBuildupReported',
  'TroopWithdrawalClaimed',
  'DeploymentAnnounced',
  'DiplomatExpelled',
  'ShellingAlleged',
  'CeasefireViolationReported',
  'StatementMade',
  'AccusationMade',
  'DenialIssued',
  'DiplomaticContactHeld',
  'SanctionsAnnounced',
  'RecognitionRequested',
  'RecognitionDeclared',
  'MarketMoveReported',
  'IncidentReported',
] as const;

export type ReportTypeName = (typeof REPORT_TYPE_NAMES)[number];

export function isReportType(name: string): name is ReportTypeName {
  return (REPORT_TYPE_NAMES as readonly string[]).includes(name);
}

export const FOLLOW_UP_TYPE_NAMES = [
  'EntryCorroborated',
  'EntryDisputed',
  'EntryCorrected',
  'EntryRetracted',
  'CredibilityAssessed',
] as const;
export type FollowUpTypeName = (typeof FOLLOW_UP_TYPE_NAMES)[number];
