import { AppError, type FieldError } from '../../shared/errors';
import { parseTemporal, type Temporal } from '../../shared/time';
import { toPlain } from '../../shared/validation';
import { planWith, type CommandPlan, type Reference } from '../command-plan';
import type { OccurredDto } from '../dto/common.dto';
import type { MeasureRegisteredDto, MeasureStatusChangedDto } from '../dto/measure.dto';
import type { MeasureRegisteredData, MeasureStatusChangedData } from '../events/event-data';
import { streamOf } from '../events/streams';
import { measureDecider } from './measure.decider';

export function planMeasure(dto: MeasureRegisteredDto): CommandPlan {
  const data = toPlain({ ...dto }) as MeasureRegisteredData;
  const references: Reference[] = [
    { kind: 'crisis', id: dto.crisisId, path: 'data.crisisId' },
    ...dto.byActorIds.map((id, i) => ({ kind: 'actor' as const, id, path: `data.byActorIds[${i}]` })),
    ...dto.targetActorIds.map((id, i) => ({ kind: 'actor' as const, id, path: `data.targetActorIds[${i}]` })),
  ];
  return planWith(
    measureDecider,
    { kind: 'RegisterMeasure', data },
    {
      stream: streamOf('measure', dto.measureId),
      candidate: { type: 'MeasureRegistered', data },
      references,
    },
  );
}

/** A change of state: its times normalised as a report's are; the measure's stream decides. */
export function planMeasureStatus(dto: MeasureStatusChangedDto): CommandPlan {
  const errors: FieldError[] = [];
  const time = (value: OccurredDto | undefined, path: string): Temporal | undefined => {
    if (value === undefined) return undefined;
    const parsed = parseTemporal(value, path);
    errors.push(...parsed.errors);
    return parsed.value;
  };
  const effective = time(dto.effective, 'data.effective');
  const plannedFor = time(dto.plannedFor, 'data.plannedFor');
  const until = time(dto.until, 'data.until');
  if (errors.length > 0 || !effective) throw AppError.validation(errors);
  const data: MeasureStatusChangedData = toPlain({
    measureId: dto.measureId,
    status: dto.status,
    effective,
    ...(plannedFor ? { plannedFor } : {}),
    ...(until ? { until } : {}),
    sourceId: dto.sourceId,
    ...(dto.entryId ? { entryId: dto.entryId } : {}),
    ...(dto.note ? { note: dto.note } : {}),
  });
  const references: Reference[] = [{ kind: 'source', id: dto.sourceId, path: 'data.sourceId' }];
  if (dto.entryId) references.push({ kind: 'entry', id: dto.entryId, path: 'data.entryId' });
  return planWith(
    measureDecider,
    { kind: 'ChangeMeasureStatus', data },
    {
      stream: streamOf('measure', dto.measureId),
      candidate: { type: 'MeasureStatusChanged', data },
      references,
    },
  );
}
