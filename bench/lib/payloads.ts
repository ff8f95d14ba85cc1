/** Request bodies: a small registry, then reports that reference it (valid POST /v1/events bodies). */

export const CRISIS = 'bench-crisis';

export const REGISTRY: Array<{ type: string; data: Record<string, unknown> }> = [
  { type: 'CrisisRegistered', data: { crisisId: CRISIS, name: 'Bench crisis', countries: ['UA', 'RU'] } },
  { type: 'ActorRegistered', data: { actorId: 'russia', name: 'Russia', kind: 'state', countryCode: 'RU' } },
  {
    type: 'ActorRegistered',
    data: { actorId: 'ukraine', name: 'Ukraine', kind: 'state', countryCode: 'UA' },
  },
  {
    type: 'ActorRegistered',
    data: { actorId: 'united-kingdom', name: 'United Kingdom', kind: 'state', countryCode: 'GB' },
  },
  {
    type: 'SourceRegistered',
    data: { sourceId: 'itv-news', name: 'ITV News', kind: 'outlet', url: 'https://www.itv.com/news' },
  },
  {
    type: 'SourceGraded',
    data: { sourceId: 'itv-news', reliability: 'B', rationale: 'established broadcaster' },
  },
];

/** The JSON body of report number `i` (about 450 bytes, each one distinct). */
export function reportBody(i: number): string {
  const day = String((i % 28) + 1).padStart(2, '0');
  return JSON.stringify({
    type: 'TroopBuildupReported',
    data: {
      crisisId: CRISIS,
      summary: `Benchmark report ${i}: troops reported massing near the border`,
      occurred: { start: `2022-02-${day}T${String(i % 24).padStart(2, '0')}:00`, timezone: 'Europe/Kyiv' },
      actors: [
        { actorId: 'russia', role: 'agent' },
        { actorId: 'united-kingdom', role: 'claimant' },
      ],
      attribution: { sourceId: 'itv-news' },
      quantities: [{ kind: 'troops', low: 100000 + i, high: 130000 + i, asReported: 'over 100,000' }],
      equipment: ['armoured vehicles'],
    },
  });
}
