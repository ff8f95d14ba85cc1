import { AppError, type FieldError } from '../../shared/errors';
import { deriveId } from '../../shared/ids';
import { toPlain } from '../../shared/validation';
import { planWith, type CommandPlan, type Reference } from '../command-plan';
import type { EntryLinkedDto, EntryUnlinkedDto } from '../dto/link.dto';
import type { EntryLinkedData } from '../events/event-data';
import type { EntryLoader } from '../entry/follow-up.intake';
import { linkDecider, linkStream } from './link.decider';

/**
 * Plans a link: both entries must exist and belong to one crisis, whose link stream decides (no
 * self-link, no duplicate, no cycle of "precedes"). The link's id derives from the event id, so a
 * retry names the same link.
 */
export async function planLink(
  dto: EntryLinkedDto,
  load: EntryLoader,
  eventId: string,
): Promise<CommandPlan> {
  const [from, to] = await Promise.all([load(dto.fromEntryId), load(dto.toEntryId)]);
  if (!from.exists || !to.exists) {
    const missing = [
      ...(from.exists ? [] : [{ path: 'data.fromEntryId', id: dto.fromEntryId }]),
      ...(to.exists ? [] : [{ path: 'data.toEntryId', id: dto.toEntryId }]),
    ];
    const errors: FieldError[] = missing.map((m) => ({
      path: m.path,
      message: `entry ${m.id} does not exist`,
    }));
    throw new AppError('unknown_reference', errors.map((e) => e.message).join('; '), {
      errors,
      unknown: { entryId: [...new Set(missing.map((m) => m.id))] },
    });
  }
  const crisisId = from.report.crisisId;
  if (to.report.crisisId !== crisisId) {
    throw AppError.validation([
      {
        path: 'data.toEntryId',
        message: `entries of two crises cannot be linked (from: ${crisisId}, to: ${to.report.crisisId})`,
      },
    ]);
  }
  const data = toPlain({ linkId: deriveId('link', eventId), crisisId, ...dto }) as EntryLinkedData;
  const references: Reference[] = [{ kind: 'source', id: dto.sourceId, path: 'data.sourceId' }];
  if (dto.claimantActorId)
    references.push({ kind: 'actor', id: dto.claimantActorId, path: 'data.claimantActorId' });
  return planWith(
    linkDecider,
    { kind: 'LinkEntries', data },
    { stream: linkStream(crisisId), candidate: { type: 'EntryLinked', data }, references },
  );
}

export function planUnlink(dto: EntryUnlinkedDto): CommandPlan {
  const data = toPlain({ ...dto });
  return planWith(
    linkDecider,
    { kind: 'UnlinkEntries', data },
    {
      stream: linkStream(dto.crisisId),
      candidate: { type: 'EntryUnlinked', data },
      references: [{ kind: 'crisis', id: dto.crisisId, path: 'data.crisisId' }],
    },
  );
}
