import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsNumber,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CONTACT_MODES,
  PLOVER_TYPES,
  REPORT_BASES,
  SANCTION_STATUSES,
  type ContactMode,
  type PloverType,
  type ReportBasis,
  type SanctionStatus,
} from '../events/vocabulary';
import { IsSlug, List, ReportBaseDto, SLUG, SLUG_MESSAGE, Text } from './common.dto';

/** Type-specific fields of each report (domain.md, "Entry"). Every class adds to the common fields. */

/** Reports of forces and attacks say what they rest on: an order is not troops seen. */
export class ForcesReportDto extends ReportBaseDto {
  @IsOptional() @IsIn(REPORT_BASES) basis?: ReportBasis;
}

export class TroopBuildupReportedDto extends ForcesReportDto {
  /** What was seen: "armoured vehicles", "helicopters", "field hospital". */
  @IsOptional() @List(20) equipment?: string[];
}

export class TroopWithdrawalClaimedDto extends ForcesReportDto {
  @IsOptional() @List(20) equipment?: string[];
}

export class DeploymentAnnouncedDto extends ForcesReportDto {
  @IsOptional() @Text(200) unit?: string;
  @IsOptional() @Text(200) origin?: string;
  @Text(200) destination!: string;
  @IsOptional() @List(20) assets?: string[];
}

export class DiplomatDto {
  @Text(200) name!: string;
  @Text(200) title!: string;
}

export class DiplomatExpelledDto extends ReportBaseDto {
  @IsDefined() @ValidateNested() @Type(() => DiplomatDto) diplomat!: DiplomatDto;
  @IsSlug() expellingActorId!: string;
  @IsSlug() sendingActorId!: string;
}

export class ShellingAllegedDto extends ForcesReportDto {
  @IsOptional() @Text(200) weapons?: string;
  /** What was hit, as reported: "kindergarten", "civilian infrastructure". */
  @IsOptional() @List(20) targets?: string[];
}

export class CeasefireViolationReportedDto extends ForcesReportDto {
  @IsOptional() @Text(200) agreement?: string;
  @IsOptional() @Text(200) weapons?: string;
}

export class StatementMadeDto extends ReportBaseDto {
  /** Where it was said: "press conference", "UN Security Council", "Facebook post". */
  @IsOptional() @Text(200) medium?: string;
}

export class AccusationMadeDto extends ReportBaseDto {
  @Text(1000) allegation!: string;
}

export class DenialIssuedDto extends ReportBaseDto {
  /** What is denied, in a few words. */
  @Text(1000) denies!: string;
  /** The entry whose claim is denied, when it is in the chronology. */
  @IsOptional() @IsUUID() deniedEntryId?: string;
}

export class DiplomaticContactHeldDto extends ReportBaseDto {
  @IsIn(CONTACT_MODES) mode!: ContactMode;
}

export class SanctionsAnnouncedDto extends ReportBaseDto {
  @IsIn(SANCTION_STATUSES) status!: SanctionStatus;
  @IsOptional() @List(20) measures?: string[];
}

export class RecognitionRequestedDto extends ReportBaseDto {
  @List(20, 200, 1) territories!: string[];
}

export class RecognitionDeclaredDto extends ReportBaseDto {
  @List(20, 200, 1) territories!: string[];
}

export class MarketMoveReportedDto extends ReportBaseDto {
  @Text(200) market!: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-100) @Max(10000) changePercent!: number;
}

export class PloverCodeDto {
  @IsIn(PLOVER_TYPES) type!: PloverType;
  @IsOptional() @Matches(SLUG, { message: SLUG_MESSAGE }) mode?: string;
}

export class IncidentReportedDto extends ReportBaseDto {
  @IsDefined() @ValidateNested() @Type(() => PloverCodeDto) plover!: PloverCodeDto;
  /** Optional CAMEO code given by the poster (2 to 4 digits). */
  @IsOptional()
  @Matches(/^\d{2,4}$/, { message: 'cameo must be a CAMEO code of 2 to 4 digits' })
  cameo?: string;
}
