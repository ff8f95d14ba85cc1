/**
 * The registry of the scale benchmark's crises (states, ministries, people, sources) and the
 * deterministic random numbers every generated log is drawn from.
 */

export const CRISIS = 'scale-crisis';
/** A second, smaller crisis (a tenth of the reports): what a selective crisis filter reads. */
export const MINOR_CRISIS = 'scale-minor-crisis';
/** Reports occur over the year 2022 (Kyiv time); the store's clock records them over the same year. */
export const YEAR = 2022;
/** The heavy actor: in about a third of the reports (the others follow a Zipf law, see scale-skew.ts). */
export const HEAVY_ACTOR = 'russia';
/**
 * A word put into about 0.5% of report summaries (~4,000 entries at 1 M events), and in no other
 * text: what the search route (q=) looks for.
 */
export const RARE_TERM = 'zaporizhzhia';

export type Body = { type: string; data: Record<string, unknown> };

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

export interface Registry {
  readonly bodies: Body[];
  readonly actors: string[];
  readonly sources: string[];
}

/** Registry first: two crises, 169 actors (states, ministries, people, NATO, armed groups), 40 sources. */
export function registry(): Registry {
  const bodies: Body[] = [
    {
      type: 'CrisisRegistered',
      data: { crisisId: CRISIS, name: 'Scale crisis', countries: ['UA', 'RU'] },
    },
    {
      type: 'CrisisRegistered',
      data: { crisisId: MINOR_CRISIS, name: 'Minor scale crisis', countries: ['MD'] },
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
