import { OmitType, PartialType } from '@nestjs/swagger';
import type { ClassConstructor } from 'class-transformer';
import { canonicalJson } from '../../shared/canonical-json';
import { AppError, type FieldError } from '../../shared/errors';
import { toPlain, validateInto } from '../../shared/validation';
import { streamOf } from '../events/streams';
import { planWith, type CommandPlan, type Reference } from '../command-plan';
import type { ReportBaseDto } from '../dto/common.dto';
import type {
  CredibilityAssessedDto,
  EntryCorrectedDto,
  EntryCorroboratedDto,
  EntryDisputedDto,
  EntryFollowUpDto,
  EntryRetractedDto,
} from '../dto/follow-up.dto';
import { lookupEventType } from '../events/catalogue';
import type { CorrectableReport } from '../events/event-data';
import type { EventType } from '../events/event-type';
import type { FollowUpTypeName } from '../events/report-type-names';
import { entryDecider, type EntryCommand, type EntryState, type RecordedEntry } from './entry.decider';
import { normaliseReportFields, reportReferences } from './report.intake';

/** Reads an entry's current state (the write side's own stream, never a read model). */
export type EntryLoader = (entryId: string) => Promise<EntryState>;

const correctionDtos = new Map<string, ClassConstructor<object>>();

/** The correctable fields of a report type: all of its fields but the crisis, each optional. */
function correctionDto(type: EventType): ClassConstructor<object> {
  let dto = correctionDtos.get(type.name);
  if (!dto) {
    dto = PartialType(OmitType(type.dto as ClassConstructor<ReportBaseDto>, ['crisisId'] as const));
    correctionDtos.set(type.name, dto);
  }
  return dto;
}

async function planCorrection(
  dto: EntryCorrectedDto,
  load: EntryLoader,
): Promise<{ command: EntryCommand; refs: Reference[] }> {
  const entry = await load(dto.entryId);
  if (!entry.exists) throw unknownEntry(dto.entryId);
  const type = lookupEventType(entry.type)!;
  const changesDto = validateInto(
    correctionDto(type),
    dto.changes,
    'data.changes',
  ) as Partial<ReportBaseDto> & Record<string, unknown>;
  if (Object.keys(changesDto).length === 0) {
    throw AppError.validation([
      { path: 'data.changes', message: 'changes must name at least one correctable field' },
    ]);
  }
  const errors: FieldError[] = [];
  const normalised = normaliseReportFields(changesDto, 'data.changes', errors);
  if (errors.length > 0) throw AppError.validation(errors);
  const changes = toPlain({ ...changesDto, ...normalised }) as CorrectableReport & Record<string, unknown>;
  withChainAgents(entry, changes);
  withRecomputedCodes(type, entry, changes);
  return {
    command: { kind: 'CorrectEntry', data: { entryId: dto.entryId, changes, reason: dto.reason } },
    refs: reportReferences(changesDto, 'data.changes'),
  };
}

/**
 * A corrected acting chain whose actors the entry does not name yet: they become agents, as in a
 * report (the chain's actors are agents of it), so filters and roll-ups find the entry by them.
 */
function withChainAgents(entry: RecordedEntry, changes: CorrectableReport & Record<string, unknown>): void {
  if (!changes.actingChain || changes.actors) return;
  const named = new Set(entry.report.actors.map((a) => a.actorId));
  const missing = changes.actingChain.filter((h) => !named.has(h.actorId));
  if (missing.length === 0) return;
  (changes as Record<string, unknown>).actors = [
    ...entry.report.actors,
    ...missing.map((h) => ({ actorId: h.actorId, role: 'agent' as const })),
  ];
}

/** Codes follow the data (a contact's mode, a sanction's status): a correction carries the new ones. */
function withRecomputedCodes(type: EventType, entry: RecordedEntry, changes: Record<string, unknown>): void {
  if (!type.codes) return;
  const codes = type.codes({ ...entry.report, ...changes });
  if (canonicalJson(codes) !== canonicalJson(entry.report.codes)) changes.codes = toPlain(codes);
}

function unknownEntry(entryId: string): AppError {
  return new AppError('unknown_reference', `entry ${entryId} does not exist`, {
    errors: [{ path: 'data.entryId', message: `entry ${entryId} does not exist` }],
    unknown: { entryId: [entryId] },
  });
}

/** Plans a follow-up on an existing entry; the entry's own stream decides. */
export async function planFollowUp(
  type: EventType,
  dto: EntryFollowUpDto,
  load: EntryLoader,
): Promise<CommandPlan> {
  const name = type.name as FollowUpTypeName;
  let command: EntryCommand;
  let refs: Reference[] = [];
  switch (name) {
    case 'EntryCorroborated': {
      const d = dto as EntryCorroboratedDto;
      command = { kind: 'CorroborateEntry', data: toPlain({ ...d }) };
      refs = [{ kind: 'source', id: d.sourceId, path: 'data.sourceId' }];
      break;
    }
    case 'EntryDisputed': {
      const d = dto as EntryDisputedDto;
      if (d.byActorId === undefined && d.bySourceId === undefined) {
        throw AppError.validation([
          { path: 'data.byActorId', message: 'name who disputes: data.byActorId, data.bySourceId or both' },
        ]);
      }
      command = { kind: 'DisputeEntry', data: toPlain({ ...d }) };
      if (d.byActorId !== undefined) refs.push({ kind: 'actor', id: d.byActorId, path: 'data.byActorId' });
      if (d.bySourceId !== undefined)
        refs.push({ kind: 'source', id: d.bySourceId, path: 'data.bySourceId' });
      if (d.counterEntryId) refs.push({ kind: 'entry', id: d.counterEntryId, path: 'data.counterEntryId' });
      break;
    }
    case 'EntryCorrected':
      ({ command, refs } = await planCorrection(dto as EntryCorrectedDto, load));
      break;
    case 'EntryRetracted':
      command = { kind: 'RetractEntry', data: toPlain({ ...(dto as EntryRetractedDto) }) };
      break;
    case 'CredibilityAssessed':
      command = { kind: 'AssessCredibility', data: toPlain({ ...(dto as CredibilityAssessedDto) }) };
      break;
  }
  return planWith(entryDecider, command, {
    stream: streamOf('entry', dto.entryId),
    candidate: { type: name, data: command.data },
    references: refs,
    entryId: dto.entryId,
  });
}
