import { IANAZone } from 'luxon';
import { RememberedZone } from './remembered-zone';
import { parseTemporal } from './time';

const HOUR = 3_600_000;
/** Zones with unusual rules: half-hour DST, Ramadan suspensions, a skipped day, southern summers. */
const ZONES = ['Europe/Kyiv', 'Australia/Lord_Howe', 'Africa/Casablanca', 'Pacific/Apia', 'America/Santiago'];

describe('RememberedZone', () => {
  it.each(ZONES)(
    'gives the offsets IANAZone gives, hourly over 2018-2025 and at each second of change (%s)',
    (name) => {
      const remembered = RememberedZone.of(name)!;
      const iana = IANAZone.create(name);
      const differ: string[] = [];
      const compare = (ts: number): void => {
        if (remembered.offset(ts) !== iana.offset(ts)) differ.push(new Date(ts).toISOString());
      };
      let transitions = 0;
      const from = Date.UTC(2010, 0, 1);
      const to = Date.UTC(2026, 0, 1);
      for (let t = from; t < to; t += HOUR) {
        compare(t);
        if (iana.offset(t) === iana.offset(t + HOUR)) continue;
        transitions++;
        // IANAZone's offsets change on whole seconds: find that second, compare on both sides of it.
        let low = t / 1000;
        let high = (t + HOUR) / 1000;
        while (high - low > 1) {
          const mid = Math.floor((low + high) / 2);
          if (iana.offset(mid * 1000) === iana.offset(t)) low = mid;
          else high = mid;
        }
        for (const ts of [high * 1000 - 1001, high * 1000 - 1, high * 1000, high * 1000 + 999]) compare(ts);
      }
      expect(differ).toEqual([]);
      expect(transitions).toBeGreaterThan(0);
    },
  );

  it('is not made for names that are not IANA zones', () => {
    expect(RememberedZone.of('Mars/Olympus')).toBeNull();
    expect(RememberedZone.of('UTC+2')).toBeNull();
  });

  it('leaves reported times as luxon computed them, across a change of offset', () => {
    // Kyiv moved its clocks forward at 03:00 local on 2022-03-27.
    const day = parseTemporal({ start: '2022-03-27', timezone: 'Europe/Kyiv' }, 'occurred').value!;
    expect(day).toMatchObject({ start: '2022-03-26T22:00:00.000Z', end: '2022-03-27T21:00:00.000Z' });
    const after = parseTemporal({ start: '2022-03-27T04:30', timezone: 'Europe/Kyiv' }, 'occurred').value!;
    expect(after).toMatchObject({
      start: '2022-03-27T01:30:00.000Z',
      startLocal: '2022-03-27T04:30:00.000+03:00',
    });
  });
});
