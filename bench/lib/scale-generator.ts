import type { Dist, NewEventLike } from './scale-dist';
import { CRISIS, prng, registry, YEAR, type Body } from './scale-registry';

/**
 * Realistic events for the scale benchmark, produced by the service's own write side
 * (ChronologyService: validation, intake, deciders, ids) against an in-memory capture of the
 * streams it reads.
 */

const DAY_MS = 86_400_000;
/** Follow-ups go to one of the most recent reports (older entry streams are forgotten). */
const WINDOW = 4000;

const isFollowUp = (type: string): boolean => type.startsWith('Entry') || type === 'CredibilityAssessed';

/** Type-specific fields, one template per report type (the shapes of test/fixtures/chronology.fixtures.ts). */
const REPORT_TYPES: Array<{
  type: string;
  extra: (i: number, pick: () => string) => Record<string, unknown>;
}> = [
  {
    type: 'TroopBuildupReported',
    extra: (i) => ({
      quantities: [{ kind: 'troops', low: 1000 + i, high: 3000 + i, asReported: 'several thousand' }],
      equipment: ['armoured vehicles'],
    }),
  },
  { type: 'TroopWithdrawalClaimed', extra: () => ({}) },
  {
    type: 'DeploymentAnnounced',
    extra: () => ({
      destination: 'Estonia',
      origin: 'Sennelager',
      unit: 'battlegroup',
      assets: ['infantry'],
    }),
  },
  {
    type: 'DiplomatExpelled',
    extra: (_i, pick) => ({
      diplomat: { name: 'A. Diplomat', title: 'deputy chief of mission' },
      expellingActorId: pick(),
      sendingActorId: pick(),
    }),
  },
  {
    type: 'ShellingAlleged',
    extra: () => ({
      targets: ['kindergarten'],
      location: { name: 'Stanytsia Luhanska', countryCode: 'UA', geoPrecision: 2 },
    }),
  },
  {
    type: 'CeasefireViolationReported',
    extra: (i) => ({
      agreement: 'Minsk',
      quantities: [{ kind: 'violations', low: i % 50, high: i % 50, asReported: `${i % 50} times` }],
    }),
  },
  { type: 'StatementMade', extra: (i) => ({ medium: 'press conference', quote: `statement ${i}` }) },
  { type: 'AccusationMade', extra: () => ({ allegation: 'false flag operation' }) },
  { type: 'DenialIssued', extra: () => ({ denies: 'any plan to invade' }) },
  { type: 'DiplomaticContactHeld', extra: (i) => ({ mode: i % 2 ? 'phone' : 'meeting' }) },
  {
    type: 'SanctionsAnnounced',
    extra: () => ({ status: 'threatened', measures: ['economic sanctions'] }),
  },
  { type: 'RecognitionRequested', extra: () => ({ territories: ['Donetsk', 'Luhansk'] }) },
  { type: 'RecognitionDeclared', extra: () => ({ territories: ['Donetsk', 'Luhansk'] }) },
  { type: 'MarketMoveReported', extra: (i) => ({ market: 'FTSE 100', changePercent: -((i % 40) / 10) }) },
  { type: 'IncidentReported', extra: () => ({ plover: { type: 'COOPERATE', mode: 'military' } }) },
];

/** A clock for the store that moves `stepMs` per call: recordedAt spreads over the year. */
export class SpreadClock {
  private t = Date.UTC(YEAR, 0, 1);
  constructor(private readonly stepMs: number) {}
  now(): Date {
    this.t += this.stepMs;
    return new Date(this.t);
  }
}

interface Captured {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly revision: bigint;
}

export interface Append {
  readonly stream: string;
  readonly events: NewEventLike[];
  readonly expectedRevision: 'no_stream' | bigint;
}

/**
 * Stands in for the event store while the write side plans: answers readStream/streamRevision from
 * what was captured (registry streams and the most recent entries), and queues each append.
 */
class CaptureStore {
  private readonly streams = new Map<string, Captured[]>();
  private readonly recentEntries: string[] = [];
  private position = 0n;
  outbox: Append[] = [];
  outboxEvents = 0;

  readStream(stream: string): Promise<Captured[]> {
    return Promise.resolve(this.streams.get(stream) ?? []);
  }

  streamRevision(stream: string): Promise<bigint | null> {
    const h = this.streams.get(stream);
    return Promise.resolve(h && h.length > 0 ? h[h.length - 1]!.revision : null);
  }

  append(stream: string, events: NewEventLike[], options: { expectedRevision: 'no_stream' | bigint }) {
    let history = this.streams.get(stream);
    if (!history) {
      history = [];
      this.streams.set(stream, history);
      if (stream.startsWith('entry-')) {
        this.recentEntries.push(stream);
        if (this.recentEntries.length > WINDOW) this.streams.delete(this.recentEntries.shift()!);
      }
    }
    const current = history.length > 0 ? history[history.length - 1]!.revision : null;
    if ((current ?? 'no_stream') !== options.expectedRevision)
      throw new Error(`capture: revision of ${stream}`);
    let revision = current ?? -1n;
    const written = events.map((e) => {
      revision += 1n;
      this.position += 1n;
      history.push({ id: e.id, type: e.type, data: e.data, revision });
      return { id: e.id, revision, position: { commit: this.position, prepare: this.position } };
    });
    this.outbox.push({ stream, events, expectedRevision: options.expectedRevision });
    this.outboxEvents += events.length;
    return Promise.resolve({
      stream,
      nextExpectedRevision: revision,
      position: written[written.length - 1]!.position,
      events: written,
      idempotent: false,
    });
  }

  take(): Append[] {
    const out = this.outbox;
    this.outbox = [];
    this.outboxEvents = 0;
    return out;
  }
}

/** Posts bodies through ChronologyService (the write side) and yields the appends it asked for. */
export class Generator {
  private readonly capture = new CaptureStore();
  private readonly service: InstanceType<Dist['ChronologyService']>;
  private readonly context: unknown;
  private readonly random = prng(20220224);
  private readonly entries: string[] = [];
  private readonly reg = registry();
  private seq = 0;
  private registered = false;
  readonly counts = new Map<string, number>();

  constructor(dist: Dist) {
    this.service = new dist.ChronologyService(
      this.capture,
      dist.uuidV7Generator,
      new dist.ReferenceChecker(this.capture),
    );
    this.context = {
      principal: dist.principalOfKey('bench-loader', 'scale bench loader', 'editor'),
      correlationId: 'scale-bench',
      causationId: null,
    };
  }

  get actors(): readonly string[] {
    return this.reg.actors;
  }

  /** At least `events` events more (the registry comes first), as appends for the store. */
  async next(events: number): Promise<Append[]> {
    if (!this.registered) {
      for (const b of this.reg.bodies) await this.post(b);
      this.registered = true;
    }
    while (this.capture.outboxEvents < events) await this.post(this.body());
    return this.capture.take();
  }

  private async post(body: Body): Promise<void> {
    let r: { body: { entryId?: string } };
    try {
      r = (await this.service.post(body, undefined, this.context)) as typeof r;
    } catch (e) {
      // A rule of the domain said no (e.g. a source corroborating its own report): the write side
      // would answer 409/422 and store nothing; counted, like the accepted ones, by type.
      const code = (e as { code?: unknown }).code;
      if (typeof code !== 'string' || !isFollowUp(body.type)) throw e;
      const key = `rejected ${body.type} (${code})`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      return;
    }
    this.counts.set(body.type, (this.counts.get(body.type) ?? 0) + 1);
    if (r.body.entryId && !isFollowUp(body.type)) {
      this.entries.push(r.body.entryId);
      if (this.entries.length > WINDOW) this.entries.shift();
    }
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** ~85% reports of 15 types; follow-ups on recent entries: corroborations, disputes, corrections, ... */
  private body(): Body {
    const i = this.seq++;
    const r = this.random();
    const entryId = this.entries.length > 50 ? this.pick(this.entries) : null;
    if (entryId && r < 0.08)
      return {
        type: 'EntryCorroborated',
        data: { entryId, sourceId: this.pick(this.reg.sources), note: `corroboration ${i}` },
      };
    if (entryId && r < 0.12)
      return {
        type: 'EntryDisputed',
        data: { entryId, byActorId: this.pick(this.reg.actors), reason: `disputed in statement ${i}` },
      };
    if (entryId && r < 0.14)
      return {
        type: 'EntryCorrected',
        data: { entryId, changes: { summary: `Corrected summary ${i}` }, reason: 'misreported figure' },
      };
    if (entryId && r < 0.15)
      return {
        type: 'CredibilityAssessed',
        data: { entryId, credibility: 1 + (i % 6), rationale: 'analyst assessment' },
      };
    return this.report(i);
  }

  private report(i: number): Body {
    const t = REPORT_TYPES[i % REPORT_TYPES.length]!;
    const day = new Date(Date.UTC(YEAR, 0, 1) + Math.floor(this.random() * 365) * DAY_MS);
    const hour = String(Math.floor(this.random() * 24)).padStart(2, '0');
    const pickActor = (): string => this.pick(this.reg.actors);
    let claimant = pickActor();
    const agent = pickActor();
    if (claimant === agent) claimant = agent === 'nato' ? 'ukraine' : 'nato';
    const actors =
      t.type === 'DenialIssued' || t.type === 'TroopWithdrawalClaimed'
        ? [{ actorId: claimant, role: 'claimant' }]
        : [
            { actorId: agent, role: 'agent' },
            { actorId: claimant, role: 'claimant' },
          ];
    return {
      type: t.type,
      data: {
        crisisId: CRISIS,
        summary: `${t.type} number ${i}: what ${agent} did, as ${claimant} tells it`,
        occurred: { start: `${day.toISOString().slice(0, 10)}T${hour}:00`, timezone: 'Europe/Kyiv' },
        actors,
        attribution: { sourceId: this.pick(this.reg.sources) },
        ...t.extra(i, pickActor),
      },
    };
  }
}
