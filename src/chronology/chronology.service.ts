import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/access.model';
import {
  EVENT_STORE,
  checkExpectedRevision,
  formatPosition,
  isStreamNotFound,
  isWrongExpectedRevision,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
} from '../event-store';
import { AppError } from '../shared/errors';
import { ID_GENERATOR, deriveId, type IdGenerator } from '../shared/ids';
import { validateInto } from '../shared/validation';
import { planActor } from './actor/actor.intake';
import type { CommandPlan } from './command-plan';
import { planCrisis } from './crisis/crisis.intake';
import { fold, type DomainEvent } from './decider';
import type { ReportBaseDto } from './dto/common.dto';
import type { EntryFollowUpDto } from './dto/follow-up.dto';
import { PostEventDto, type ExpectedRevisionInput } from './dto/post-event.dto';
import type { CrisisRegisteredDto, SourceGradedDto, SourceRegisteredDto } from './dto/registry.dto';
import { entryDecider, type EntryEvent, type EntryState } from './entry/entry.decider';
import { planFollowUp } from './entry/follow-up.intake';
import { planReport } from './entry/report.intake';
import { KNOWN_TYPES, lookupEventType } from './events/catalogue';
import { decodeEvent, sameEvent } from './events/decode';
import type { LogEvent } from './events/stored-events';
import { streamOf } from './events/streams';
import type { EventType } from './events/event-type';
import { ReferenceChecker } from './reference-checker';
import { planSource } from './source/source.intake';

/** Who is writing, and why: becomes the appended events' metadata. */
export interface WriteContext {
  readonly principal: Principal;
  readonly correlationId: string;
  readonly causationId: string | null;
}

export interface PostEventResult {
  /** 201 for a new event, 200 for a retry of one already stored. */
  readonly status: 200 | 201;
  readonly body: {
    readonly id: string;
    readonly type: string;
    readonly stream: string;
    readonly revision: number;
    readonly position: string;
    readonly entryId?: string;
  };
}

const MAX_ATTEMPTS = 5;

const toDomain = (e: LogEvent): DomainEvent => ({ type: e.type, data: e.data });

/** The write side: request -> command -> decider -> append with an expected revision. */
@Injectable()
export class ChronologyService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly references: ReferenceChecker,
  ) {}

  async post(body: unknown, ifMatch: string | undefined, context: WriteContext): Promise<PostEventResult> {
    const envelope = validateInto(PostEventDto, body);
    const type = lookupEventType(envelope.type);
    if (!type) {
      throw new AppError(
        'unknown_event_type',
        `unknown event type "${envelope.type}"; known types: ${KNOWN_TYPES.join(', ')}`,
        {
          errors: [{ path: 'type', message: `must be one of the known types` }],
          knownTypes: KNOWN_TYPES,
        },
      );
    }
    const needed = type.family === 'report' ? 'report' : 'edit';
    if (!context.principal.permissions.has(needed)) {
      throw new AppError(
        'forbidden',
        `the ${context.principal.role ?? 'anonymous'} role may not post ${type.name} (needs ${needed})`,
      );
    }
    const expected = expectedRevisionOf(envelope.expectedRevision, ifMatch);
    const dto = validateInto(type.dto, envelope.data, 'data');
    const eventId = envelope.id ?? this.ids.next();
    const plan = await this.plan(type, dto, eventId);
    await this.references.assertExist(plan.references);
    return this.execute(plan, type, eventId, expected, context);
  }

  private async plan(type: EventType, dto: object, eventId: string): Promise<CommandPlan> {
    switch (type.family) {
      case 'report':
        // A retried report must land on the same entry: its id derives from the event id.
        return planReport(type, dto as ReportBaseDto, deriveId('entry', eventId));
      case 'follow-up':
        return planFollowUp(type, dto as EntryFollowUpDto, (id) => this.loadEntry(id));
      case 'actor':
        return planActor(type, dto as Parameters<typeof planActor>[1]);
      case 'source':
        return planSource(type, dto as SourceRegisteredDto | SourceGradedDto);
      case 'crisis':
        return planCrisis(dto as CrisisRegisteredDto);
    }
  }

  private async execute(
    plan: CommandPlan,
    type: EventType,
    eventId: string,
    expected: ExpectedRevision | undefined,
    context: WriteContext,
  ): Promise<PostEventResult> {
    for (let attempt = 1; ; attempt++) {
      const history = await this.history(plan.stream);
      const prior = history.find((e) => e.id === eventId);
      if (prior) return this.replay(prior, plan, type);
      const current = history.length > 0 ? history[history.length - 1]!.revision : null;
      if (expected !== undefined) checkExpectedRevision(plan.stream, expected, current);
      const decided = plan.decide(history.map(toDomain));
      const events: NewEvent[] = decided.map((e, i) => ({
        id: i === 0 ? eventId : deriveId('event', `${eventId}/${i}`),
        type: e.type,
        schemaVersion: type.schemaVersion,
        data: e.data as JsonObject,
        metadata: {
          principal: context.principal.id,
          correlationId: context.correlationId,
          causationId: context.causationId,
        },
      }));
      try {
        const result = await this.store.append(plan.stream, events, {
          expectedRevision: current ?? 'no_stream',
        });
        const first = result.events[0]!;
        return {
          status: result.idempotent ? 200 : 201,
          body: this.body(eventId, type.name, plan, first.revision, formatPosition(first.position)),
        };
      } catch (e) {
        // Another writer got there first: decide again on the new history, unless the client pinned a revision.
        if (isWrongExpectedRevision(e) && expected === undefined && attempt < MAX_ATTEMPTS) continue;
        throw e;
      }
    }
  }

  private replay(prior: LogEvent, plan: CommandPlan, type: EventType): PostEventResult {
    const candidate = {
      type: plan.candidate.type,
      schemaVersion: type.schemaVersion,
      data: plan.candidate.data as JsonObject,
    };
    if (!sameEvent(prior.recorded, candidate)) {
      throw new AppError('duplicate_event', `event id ${prior.id} was already used for a different event`, {
        eventId: prior.id,
      });
    }
    return {
      status: 200,
      body: this.body(prior.id, prior.type, plan, prior.revision, formatPosition(prior.position)),
    };
  }

  private body(
    id: string,
    type: string,
    plan: CommandPlan,
    revision: bigint,
    position: string,
  ): PostEventResult['body'] {
    return {
      id,
      type,
      stream: plan.stream,
      revision: Number(revision),
      position,
      ...(plan.entryId ? { entryId: plan.entryId } : {}),
    };
  }

  /** The stream's events, decoded (upcast to the current versions) for the deciders. */
  private async history(stream: string): Promise<LogEvent[]> {
    try {
      return (await this.store.readStream(stream)).map((e) => decodeEvent(e));
    } catch (e) {
      if (isStreamNotFound(e)) return [];
      throw e;
    }
  }

  private async loadEntry(entryId: string): Promise<EntryState> {
    const history = await this.history(streamOf('entry', entryId));
    return fold(entryDecider, history.map(toDomain) as EntryEvent[]);
  }
}

function expectedRevisionOf(
  body: ExpectedRevisionInput | undefined,
  ifMatch: string | undefined,
): ExpectedRevision | undefined {
  const fromBody = body === undefined ? undefined : typeof body === 'number' ? BigInt(body) : body;
  if (ifMatch === undefined) return fromBody;
  const m = /^\s*(?:W\/)?"?(\d{1,15}|\*)"?\s*$/.exec(ifMatch);
  if (!m)
    throw AppError.validation([
      { path: 'If-Match', message: 'If-Match must be a quoted revision number, e.g. "3"' },
    ]);
  const fromHeader: ExpectedRevision = m[1] === '*' ? 'stream_exists' : BigInt(m[1]!);
  if (fromBody !== undefined && fromBody !== fromHeader) {
    throw AppError.validation([{ path: 'If-Match', message: 'If-Match and expectedRevision disagree' }]);
  }
  return fromHeader;
}
