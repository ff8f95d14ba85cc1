import type { ReportData } from '../events';

/** A valid stored report (normalised), for decider and projection tests. */
export function reportData(overrides: Partial<ReportData> = {}): ReportData {
  return {
    entryId: '0b9d1f4c-7d2e-4a51-9f0e-1b2c3d4e5f60',
    crisisId: 'russia-ukraine-2022',
    summary: 'Russia expels the US deputy chief of mission, Bart Gorman.',
    occurred: {
      start: '2022-02-16T22:00:00.000Z',
      end: '2022-02-17T22:00:00.000Z',
      precision: 'day',
      approximate: false,
      timezone: 'Europe/Moscow',
      startLocal: '2022-02-17T00:00:00.000+03:00',
    },
    actors: [
      { actorId: 'russia', role: 'agent' },
      { actorId: 'us-state-department', role: 'claimant' },
    ],
    attribution: { sourceId: 'itv-news' },
    codes: { cameo: ['174'], plover: { type: 'SANCTION', mode: 'expel' } },
    ...overrides,
  };
}
