import { CaptureStore, WINDOW, type Append } from './scale-capture';
import type { Dist } from './scale-dist';
import { CRISIS, MINOR_CRISIS, prng, RARE_TERM, registry, type Body } from './scale-registry';
import { ActorPicker, occurred, type IntervalKind } from './scale-skew';

/**
 * Realistic events for the scale benchmark, produced by the service's own write side
 * (ChronologyService: validation, intake, deciders, ids) against an in-memory capture of the
 * streams it reads. The log is skewed (scale-skew.ts): one heavy actor, Zipf-distributed others,
 * mostly short occurred intervals and a few long ones.
 */

/** What a report's summary ends with when it carries the rare search term. */
const RARE_PHRASE = ` near ${RARE_TERM.charAt(0).toUpperCase()}${RARE_TERM.slice(1)}`;

const isFollowUp = (type: string): boolean => type.startsWith('Entry') || type === 'CredibilityAssessed';

/** Type-specific fields, one template per report type (the shapes of test/fixtures/chronology.fixtures.ts). */
const REPORT_TYPES: Array<{
  type: string;
  extra: (i: number, pick: (not?: readonly string[]) => string) => Record<string, unknown>;
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
    extra: (_i, pick) => {
      const expelling = pick();
      return {
        diplomat: { name: 'A. Diplomat', title: 'deputy chief of mission' },
        expellingActorId: expelling,
        sendingActorId: pick([expelling]),
      };
    },
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

/**
 * A clock for the store that moves `stepMs` per call: recordedAt spreads over a year. It starts a
 * day ahead of the real clock, so that the events the service itself records when the bench starts
 * it (its admin key) never come later than the log's last: the store keeps recordedAt from going
 * backwards, and a start at the real time would have stamped the rest of the log with that instant.
 */
export class SpreadClock {
  private t = Date.now() + 86_400_000;
  constructor(private readonly stepMs: number) {}
  now(): Date {
    this.t += this.stepMs;
    return new Date(this.t);
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
  readonly picker = new ActorPicker(this.reg.actors, prng(1100));
  private seq = 0;
  private registered = false;
  readonly counts = new Map<string, number>();
  /** Of the reports planned: how many name each actor, of each interval kind, with the rare term. */
  readonly skew = {
    reports: 0,
    byActor: new Map<string, number>(),
    intervals: new Map<IntervalKind, number>(),
    rareTerm: 0,
    minorCrisis: 0,
  };

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

  get sources(): readonly string[] {
    return this.reg.sources;
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
    const when = occurred(this.random);
    const single = t.type === 'DenialIssued' || t.type === 'TroopWithdrawalClaimed';
    const named = this.picker.forReport(single ? 1 : 2);
    const [agent, claimant] = single ? [named[0]!, named[0]!] : [named[0]!, named[1]!];
    const actors = single
      ? [{ actorId: claimant, role: 'claimant' }]
      : [
          { actorId: agent, role: 'agent' },
          { actorId: claimant, role: 'claimant' },
        ];
    const rare = this.random() < 0.005;
    const crisisId = this.random() < 0.1 ? MINOR_CRISIS : CRISIS;
    const skew = this.skew;
    skew.reports += 1;
    for (const a of named) skew.byActor.set(a, (skew.byActor.get(a) ?? 0) + 1);
    skew.intervals.set(when.kind, (skew.intervals.get(when.kind) ?? 0) + 1);
    if (rare) skew.rareTerm += 1;
    if (crisisId === MINOR_CRISIS) skew.minorCrisis += 1;
    const extraPick = (not?: readonly string[]): string => this.picker.other(not);
    return {
      type: t.type,
      data: {
        crisisId,
        summary: `${t.type} number ${i}: what ${agent} did, as ${claimant} tells it${rare ? RARE_PHRASE : ''}`,
        occurred: when.occurred,
        actors,
        attribution: { sourceId: this.pick(this.reg.sources) },
        ...t.extra(i, extraPick),
      },
    };
  }
}
