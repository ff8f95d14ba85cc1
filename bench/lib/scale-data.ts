import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Dist, NewEventLike, StoreLike } from './scale-dist';
import { nowMs } from './stats';

/**
 * Realistic events for the scale benchmark, produced by the service's own write side
 * (ChronologyService: validation, intake, deciders, ids) against an in-memory capture of the
 * streams it reads, then bulk-appended to a SqliteEventStore in chunks. The same rows also go into
 * a raw better-sqlite3 table in the same run (the baseline).
 */

export const CRISIS = 'scale-crisis';
/** Reports occur over the year 2022 (Kyiv time); the store's clock records them over the same year. */
export const YEAR = 2022;
const DAY_MS = 86_400_000;
/** Follow-ups go to one of the most recent reports (older entry streams are forgotten). */
const WINDOW = 4000;

type Body = { type: string; data: Record<string, unknown> };
const isFollowUp = (type: string): boolean => type.startsWith('Entry') || type === 'CredibilityAssessed';

/** Small deterministic PRNG (mulberry32): the same N always gives the same log. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES: Array<[string, string, string]> = [
  ['russia', 'Russia', 'RU'],
  ['ukraine', 'Ukraine', 'UA'],
  ['united-kingdom', 'United Kingdom', 'GB'],
  ['united-states', 'United States', 'US'],
  ['france', 'France', 'FR'],
  ['germany', 'Germany', 'DE'],
  ['poland', 'Poland', 'PL'],
  ['belarus', 'Belarus', 'BY'],
  ['estonia', 'Estonia', 'EE'],
  ['latvia', 'Latvia', 'LV'],
  ['lithuania', 'Lithuania', 'LT'],
  ['turkey', 'Turkey', 'TR'],
  ['china', 'China', 'CN'],
  ['hungary', 'Hungary', 'HU'],
  ['romania', 'Romania', 'RO'],
  ['moldova', 'Moldova', 'MD'],
];
const MINISTRIES = ['mfa', 'mod', 'presidency'];
const PEOPLE_PER_STATE = 6;
const SOURCE_KINDS = ['outlet', 'official', 'intelligence', 'social', 'ngo', 'other'];
const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'];

/** Registry first: the crisis, ~140 actors (states, ministries, people, NATO, armed groups), 40 sources. */
export function registry(): { bodies: Body[]; actors: string[]; sources: string[] } {
  const bodies: Body[] = [
    {
      type: 'CrisisRegistered',
      data: { crisisId: CRISIS, name: 'Scale crisis', countries: ['UA', 'RU'] },
    },
    { type: 'ActorRegistered', data: { actorId: 'nato', name: 'NATO', kind: 'international-org' } },
  ];
  const actors: string[] = ['nato'];
  for (const [id, name, cc] of STATES) {
    bodies.push({
      type: 'ActorRegistered',
      data: { actorId: id, name, kind: 'state', countryCode: cc, memberOf: ['nato'] },
    });
    actors.push(id);
    for (const m of MINISTRIES) {
      bodies.push({
        type: 'ActorRegistered',
        data: { actorId: `${id}-${m}`, name: `${name} ${m}`, kind: 'government-body', parentId: id },
      });
      actors.push(`${id}-${m}`);
    }
    for (let p = 1; p <= PEOPLE_PER_STATE; p++) {
      bodies.push({
        type: 'ActorRegistered',
        data: {
          actorId: `${id}-official-${p}`,
          name: `Official ${p} of ${name}`,
          kind: 'person',
          parentId: `${id}-${MINISTRIES[p % MINISTRIES.length]}`,
          aliases: [`${name} official ${p}`],
        },
      });
      actors.push(`${id}-official-${p}`);
    }
  }
  for (let g = 1; g <= 8; g++) {
    bodies.push({
      type: 'ActorRegistered',
      data: { actorId: `armed-group-${g}`, name: `Armed group ${g}`, kind: 'armed-group', countryCode: 'UA' },
    });
    actors.push(`armed-group-${g}`);
  }
  const sources: string[] = [];
  for (let s = 1; s <= 40; s++) {
    const id = `source-${s}`;
    bodies.push({
      type: 'SourceRegistered',
      data: {
        sourceId: id,
        name: `Source ${s}`,
        kind: SOURCE_KINDS[s % SOURCE_KINDS.length],
        url: `https://source-${s}.example.org/news`,
        ...(s % 5 === 0 ? { affiliatedActorId: STATES[s % STATES.length]![0] } : {}),
      },
    });
    bodies.push({
      type: 'SourceGraded',
      data: { sourceId: id, reliability: RELIABILITY[s % RELIABILITY.length], rationale: `graded ${s}` },
    });
    sources.push(id);
  }
  return { bodies, actors, sources };
}

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

export interface LoadResult {
  readonly events: number;
  readonly appends: number;
  /** Write side planning (validation, intake, deciders): not part of the bulk-load figure. */
  readonly generateMs: number;
  /** SqliteEventStore.append, group-committed (1,000 appends per transaction, WAL synced before the ack). */
  readonly storeMs: number;
  /** The same rows into the same table shape with raw better-sqlite3, 1,000 rows per transaction. */
  readonly rawMs: number;
  readonly counts: Record<string, number>;
}

const RAW_SCHEMA = `CREATE TABLE events (
  position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
  revision INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL,
  metadata TEXT NOT NULL, content_hash TEXT NOT NULL, UNIQUE (stream, revision)) STRICT`;

/**
 * Generates `total` events and appends them chunk by chunk to `store`; each chunk also goes into the
 * raw baseline database (in `baselineDir`) just before, so both see the same disk at the same time.
 */
export async function bulkLoad(
  dist: Dist,
  store: StoreLike,
  baselineDir: string,
  total: number,
  onProgress: (done: number) => void,
  chunk = 10_000,
): Promise<LoadResult & { actors: readonly string[] }> {
  const gen = new Generator(dist);
  const raw = new Database(join(baselineDir, 'raw-events.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(RAW_SCHEMA);
  const insert = raw.prepare(
    'INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  type Row = [string, string, bigint, string, number, string, string, string];
  const insertMany = raw.transaction((rows: Row[]) => {
    for (const r of rows) insert.run(...r);
  });
  const result = { events: 0, appends: 0, generateMs: 0, storeMs: 0, rawMs: 0 };
  const recordedAt = new Date(Date.UTC(YEAR, 0, 1)).toISOString();
  while (result.events < total) {
    const g0 = nowMs();
    const appends = await gen.next(Math.min(chunk, total - result.events));
    result.generateMs += nowMs() - g0;
    const rows: Row[] = [];
    for (const a of appends) {
      let rev = a.expectedRevision === 'no_stream' ? -1n : a.expectedRevision;
      for (const e of a.events) {
        rev += 1n;
        const meta = JSON.stringify({ ...e.metadata, recordedAt });
        rows.push([e.id, a.stream, rev, e.type, e.schemaVersion, JSON.stringify(e.data), meta, '']);
      }
    }
    const r0 = nowMs();
    for (let i = 0; i < rows.length; i += 1000) insertMany(rows.slice(i, i + 1000));
    result.rawMs += nowMs() - r0;

    const s0 = nowMs();
    await Promise.all(
      appends.map((a) => store.append(a.stream, a.events, { expectedRevision: a.expectedRevision })),
    );
    result.storeMs += nowMs() - s0;
    result.events += rows.length;
    result.appends += appends.length;
    onProgress(result.events);
  }
  raw.close();
  return { ...result, counts: Object.fromEntries(gen.counts), actors: gen.actors };
}
