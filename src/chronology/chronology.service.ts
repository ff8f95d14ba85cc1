import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  checkExpectedRevision,
  formatPosition,
  isDuplicateEvent,
  isStreamNotFound,
  isWrongExpectedRevision,
  sameEventId,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type NewEvent,
} from '../event-store';
import { AppError } from '../shared/errors';
import { ID_GENERATOR, deriveId, type IdGenerator } from '../shared/ids';
import { validateInto } from '../shared/validation';
import { planActor } from './actor/actor.intake';
import type { CommandPlan, PostEventResult, PreparedCommand, WriteContext } from './command-plan';
import { planCrisis } from './crisis/crisis.intake';
import { fold, type DomainEvent } from './decider';
import type { ReportBaseDto } from './dto/common.dto';
import type { EntryFollowUpDto } from './dto/follow-up.dto';
import { PostEventDto } from './dto/post-event.dto';
import { expectedRevisionOf } from './expected-revision';
import type { CrisisRegisteredDto, SourceGradedDto, SourceRegisteredDto } from './dto/registry.dto';
import { entryDecider, type EntryEvent, type EntryState } from './entry/entry.decider';
import { planFollowUp } from './entry/follow-up.intake';
import { planLink, planUnlink } from './link/link.intake';
import { planMeasure, planMeasureStatus } from './measure/measure.intake';
import type { MeasureRegisteredDto, MeasureStatusChangedDto } from './dto/measure.dto';
import type { EntryLinkedDto, EntryUnlinkedDto } from './dto/link.dto';
import { planReport } from './entry/report.intake';
import { KNOWN_TYPES, lookupEventType } from './events/catalogue';
import { decodeEvent, sameEvent } from './events/decode';
import type { LogEvent } from './events/stored-events';
import { streamOf } from './events/streams';
import type { EventType } from './events/event-type';
import { BatchWriter } from './batch-writer';
import type { BatchItemOutcome } from './batch.types';
import { before, type OwnEvent } from './history';
import { ReferenceChecker } from './reference-checker';
import { planSource } from './source/source.intake';
import {
  defaultClaimantOf,
  ownActorOf,
  sourceDecider,
  type SourceEvent,
  type SourceState,
} from './source/source.decider';

export type { PostEventResult, WriteContext } from './command-plan';

const MAX_ATTEMPTS = 5;

export const toDomain = (e: LogEvent): DomainEvent => ({ type: e.type, data: e.data });

/** The write side: request -> command -> decider -> append with an expected revision. */
@Injectable()
export class ChronologyService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly references: ReferenceChecker,
  ) {}

  async post(body: unknown, ifMatch: string | undefined, context: WriteContext): Promise<PostEventResult> {
    const reads = new Map<string, LogEvent[]>();
    const command = await this.prepare(body, ifMatch, context, async (stream, own) => {
      const history = await this.history(stream);
      reads.set(stream, history);
      return before(history, own).map(toDomain);
    });
    return this.execute(command, context, reads);
  }

  /** Many events in one call, as many POSTs would be, committed together (see BatchWriter). */
  postMany(items: readonly unknown[], context: WriteContext): Promise<BatchItemOutcome[]> {
    return new BatchWriter(this, this.store, this.references).write(items, context);
  }

  /**
   * Validates a request and plans its command, references checked. `history` gives what a
   * follow-up's entry holds (the store's events, and a batch's own before it), up to the command's
   * own event when a retry finds it stored: a retry is planned as the original was. `exists`: streams
   * that a batch has created before this command, which its references may name.
   */
  async prepare(
    body: unknown,
    ifMatch: string | undefined,
    context: WriteContext,
    history: (stream: string, own: OwnEvent) => Promise<readonly DomainEvent[]>,
    exists?: (stream: string) => boolean,
  ): Promise<PreparedCommand> {
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
    // Measures change as reporting says: reporters record them, as they record reports.
    const needed = type.family === 'report' || type.family === 'measure' ? 'report' : 'edit';
    if (!context.principal.permissions.has(needed)) {
      throw new AppError(
        'forbidden',
        `the ${context.principal.role ?? 'anonymous'} role may not post ${type.name} (needs ${needed})`,
      );
    }
    const expected = expectedRevisionOf(envelope.expectedRevision, ifMatch);
    const dto = validateInto(type.dto, envelope.data, 'data');
    const eventId = envelope.id === undefined ? this.ids.next() : await this.eventIdOf(envelope.id);
    const plan = await this.plan(type, dto, eventId, history);
    // A source's own actor lives on the source's stream: the checker reads it there (a batch's too).
    await this.references.assertExist(plan.references, exists, (stream) =>
      history(stream, { id: eventId, type: type.name }),
    );
    return { plan, type, eventId, expected };
  }

  private async plan(
    type: EventType,
    dto: object,
    eventId: string,
    history: (stream: string, own: OwnEvent) => Promise<readonly DomainEvent[]>,
  ): Promise<CommandPlan> {
    const own = { id: eventId, type: type.name };
    const entry = async (id: string): Promise<EntryState> =>
      fold(entryDecider, (await history(streamOf('entry', id), own)) as EntryEvent[]);
    /** A source as its stream says: its default claimant, and its own actor (see source.decider). */
    const source = async (id: string): Promise<SourceState> =>
      fold(sourceDecider, (await history(streamOf('source', id), own)) as SourceEvent[]);
    switch (type.family) {
      case 'report': {
        // A retried report must land on the same entry: its id derives from the event id. With no
        // claimant named, the source's affiliated actor, else its own actor, claims.
        const report = dto as ReportBaseDto;
        const claimant = report.actors.some((a) => a.role === 'claimant')
          ? undefined
          : defaultClaimantOf(await source(report.attribution.sourceId));
        return planReport(type, report, deriveId('entry', eventId), claimant);
      }
      case 'follow-up':
        return planFollowUp(type, dto as EntryFollowUpDto, entry);
      case 'link':
        return type.name === 'EntryLinked'
          ? planLink(dto as EntryLinkedDto, entry, eventId)
          : planUnlink(dto as EntryUnlinkedDto);
      case 'actor': {
        // The actor may be a source's own actor, registered with the source under the same id.
        const d = dto as Parameters<typeof planActor>[1];
        return planActor(type, d, ownActorOf(await source(d.actorId)));
      }
      case 'source':
        // A new source's own actor must not take the id of an actor registered already.
        return planSource(
          type,
          dto as SourceRegisteredDto | SourceGradedDto,
          async (actorId) => (await history(streamOf('actor', actorId), own)).length > 0,
        );
      case 'measure':
        return type.name === 'MeasureRegistered'
          ? planMeasure(dto as MeasureRegisteredDto)
          : planMeasureStatus(dto as MeasureStatusChangedDto);
      case 'crisis':
        return planCrisis(dto as CrisisRegisteredDto);
    }
  }

  /** The events a decision appends: the first carries the request's id, the others ids derived from it. */
  eventsOf(command: PreparedCommand, decided: readonly DomainEvent[], context: WriteContext): NewEvent[] {
    return decided.map((e, i) => ({
      id: i === 0 ? command.eventId : deriveId('event', `${command.eventId}/${i}`),
      type: e.type,
      schemaVersion: command.type.schemaVersion,
      data: e.data as JsonObject,
      metadata: {
        principal: context.principal.id,
        correlationId: context.correlationId,
        causationId: context.causationId,
      },
    }));
  }

  /** The answer to an append of a command's events. */
  resultOf(command: PreparedCommand, result: AppendResult): PostEventResult {
    const first = result.events[0]!;
    return {
      status: result.idempotent ? 200 : 201,
      body: this.body(
        command.eventId,
        command.type.name,
        command.plan,
        first.revision,
        formatPosition(first.position),
      ),
    };
  }

  private async execute(
    command: PreparedCommand,
    context: WriteContext,
    reads: ReadonlyMap<string, LogEvent[]>,
  ): Promise<PostEventResult> {
    const { plan, eventId, expected } = command;
    // A new entry's first attempt reads nothing: a retry of a stored report is answered by the store.
    let assumeNew = plan.newStream === true && expected === undefined;
    for (let attempt = 1; ; attempt++) {
      const history = assumeNew
        ? []
        : (attempt === 1 && reads.get(plan.stream)) || (await this.history(plan.stream));
      const prior = history.find((e) => sameEventId(e.id, eventId));
      if (prior) return this.replay(prior, command);
      const current = history.length > 0 ? history[history.length - 1]!.revision : null;
      if (expected !== undefined) checkExpectedRevision(plan.stream, expected, current);
      const events = this.eventsOf(command, plan.decide(history.map(toDomain)), context);
      try {
        const result = await this.store.append(plan.stream, events, {
          expectedRevision: current ?? 'no_stream',
        });
        return this.resultOf(command, result);
      } catch (e) {
        // The id was stored with other content (or another schema version): decide on what is stored.
        if (assumeNew && isDuplicateEvent(e)) {
          assumeNew = false;
          continue;
        }
        // Another writer got there first: decide again on the new history, unless the client pinned a revision.
        if (isWrongExpectedRevision(e) && expected === undefined && attempt < MAX_ATTEMPTS) continue;
        throw e;
      }
    }
  }

  /**
   * A client's event id, in lower case (ids are UUIDs; `@IsUUID()` takes either case, and a DTO
   * transform would turn off the compiled validation of the envelope), unless it was stored in
   * another form before that rule: then that form, so that a retry lands on its original entry
   * (entry ids derive from it) and finds the stored event, which cannot be rewritten.
   */
  private async eventIdOf(sent: string): Promise<string> {
    return (await this.store.storedEventId(sent)) ?? sent.toLowerCase();
  }

  /** A retry of a stored event: its original result, if it is the same event. */
  replay(prior: LogEvent, command: PreparedCommand): PostEventResult {
    const { plan, type } = command;
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
  async history(stream: string): Promise<LogEvent[]> {
    try {
      return (await this.store.readStream(stream)).map((e) => decodeEvent(e));
    } catch (e) {
      if (isStreamNotFound(e)) return [];
      throw e;
    }
  }
}
