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

/** Narrows an event (of any union discriminated by `type`) to its report types. */
export function isReportEvent<E extends { readonly type: string }>(
  event: E,
): event is Extract<E, { readonly type: ReportTypeName }> {
  return isReportType(event.type);
}

export const FOLLOW_UP_TYPE_NAMES = [
  'EntryCorroborated',
  'EntryDisputed',
  'EntryCorrected',
  'EntryRetracted',
  'CredibilityAssessed',
] as const;
export type FollowUpTypeName = (typeof FOLLOW_UP_TYPE_NAMES)[number];

export function isFollowUpType(name: string): name is FollowUpTypeName {
  return (FOLLOW_UP_TYPE_NAMES as readonly string[]).includes(name);
}

/** Narrows an event (of any union discriminated by `type`) to the follow-ups of an entry. */
export function isFollowUpEvent<E extends { readonly type: string }>(
  event: E,
): event is Extract<E, { readonly type: FollowUpTypeName }> {
  return isFollowUpType(event.type);
}
