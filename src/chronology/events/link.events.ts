import { EntryLinkedDto, EntryUnlinkedDto } from '../dto/link.dto';
import { eventType } from './event-type';

export const EntryLinked = eventType({
  name: 'EntryLinked',
  schemaVersion: 1,
  family: 'link',
  dto: EntryLinkedDto,
  description:
    'One entry bears on another of the same crisis (precedes, causes, responds-to, confirms, part-of, same-report, announces), as a source states it; a cycle of "precedes" is refused.',
});

export const EntryUnlinked = eventType({
  name: 'EntryUnlinked',
  schemaVersion: 1,
  family: 'link',
  dto: EntryUnlinkedDto,
  description: 'A link is withdrawn; it stays in the history.',
});

export const LINK_TYPES = [EntryLinked, EntryUnlinked] as const;
