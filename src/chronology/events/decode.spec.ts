import { createHash } from 'node:crypto';
import { readV1Log, V1_ADMIN_KEY } from '../../../test/fixtures/v1-log';
import { positionOf, type RecordedEvent } from '../../event-store';
import { decodeEvent, sameEvent, UndecodableEvent } from './decode';
import { OPAQUE_TYPE } from './stored-events';

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

describe('decoding stored events', () => {
  const log = readV1Log();
  const decoded = log.map((e) => decodeEvent(e));

  it('reads a whole log written before events were versioned, every event keeping its meaning', () => {
    expect(decoded).toHaveLength(67);
    decoded.forEach((e, i) => {
      const stored = log[i]!;
      expect(e).toMatchObject({ id: stored.id, type: stored.type, position: stored.position });
      expect(e.recorded).toBe(stored);
      // Reports (and corrections) of version 1 named one `location`: it reads as `locations`, a
      // `where`. Every other field, and every other type but ApiKeyIssued, reads back unchanged.
      if (e.type === 'ApiKeyIssued') return;
      const { location, ...rest } = stored.data as Record<string, unknown>;
      expect(e.data).toEqual(location ? { ...rest, locations: [{ ...location, role: 'where' }] } : rest);
    });
    const located = decoded.filter((e) => 'locations' in e.data);
    expect(located.length).toBeGreaterThan(0);
    expect(located.every((e) => !('location' in e.data))).toBe(true);
  });

  it('upcasts a version 1 correction of the place to one of the places', () => {
    const stored: RecordedEvent = {
      ...log.find((e) => e.type === 'EntryCorrected')!,
      data: {
        entryId: 'a46da07f-0d04-5763-a4fa-cc3eff47ba8e',
        changes: { location: { name: 'Kharkiv', countryCode: 'UA', geoPrecision: 2 }, summary: 's' },
        reason: 'r',
      },
      schemaVersion: 1,
    };
    expect(decodeEvent(stored).data).toEqual({
      entryId: 'a46da07f-0d04-5763-a4fa-cc3eff47ba8e',
      changes: {
        locations: [{ name: 'Kharkiv', countryCode: 'UA', geoPrecision: 2, role: 'where' }],
        summary: 's',
      },
      reason: 'r',
    });
  });

  it('reads a version 1 source as version 2 without an own actor (it keeps the default claimant it had)', () => {
    const sources = decoded.filter((e) => e.type === 'SourceRegistered');
    expect(sources.length).toBeGreaterThan(0);
    for (const e of sources) {
      expect([e.recorded.schemaVersion, e.schemaVersion]).toEqual([1, 2]);
      expect(e.data).toEqual(e.recorded.data);
      expect('ownActor' in e.data).toBe(false);
    }
  });

  it('gives a report its typed fields as stored (values checked by hand against the fixture)', () => {
    const e = decoded.find((x) => x.type === 'DiplomatExpelled');
    if (e?.type !== 'DiplomatExpelled') throw new Error('the fixture has a DiplomatExpelled');
    expect(e.position).toEqual(positionOf(46n));
    expect(e.data.diplomat.name).toBe('Bart Gorman');
    expect(e.data.expellingActorId).toBe('russia');
    expect(e.data.sendingActorId).toBe('united-states');
    // 17 February 2022, a day in Europe/Moscow (UTC+3): from 21:00 UTC the day before.
    expect(e.data.occurred).toMatchObject({
      start: '2022-02-16T21:00:00.000Z',
      end: '2022-02-17T21:00:00.000Z',
      precision: 'day',
      timezone: 'Europe/Moscow',
    });
    expect(e.data.codes).toEqual({ cameo: ['174'], plover: { type: 'SANCTION', mode: 'expel' } });
  });

  it('upcasts ApiKeyIssued 1 -> 2: the plain hash it stored becomes legacySha256', () => {
    const keys = decoded.filter((x) => x.type === 'ApiKeyIssued');
    expect(keys).toHaveLength(2);
    const admin = keys[0]!;
    if (admin.type !== 'ApiKeyIssued') throw new Error('narrowed above');
    expect(admin.schemaVersion).toBe(2);
    expect(admin.recorded.schemaVersion).toBe(1);
    expect(admin.data).toEqual({
      keyId: `env-${sha256(V1_ADMIN_KEY).slice(0, 10)}`,
      name: 'admin (ADMIN_API_KEY)',
      role: 'admin',
      legacySha256: sha256(V1_ADMIN_KEY),
    });
  });

  it('keeps an unknown type as an opaque event, and refuses a version newer than it reads, naming the event', () => {
    const base = log[0]!;
    const unknown: RecordedEvent = { ...base, type: 'SomethingNew' };
    const seen: string[] = [];
    const opaque = decodeEvent(unknown, (e) => seen.push(e.type));
    expect(opaque).toMatchObject({ type: OPAQUE_TYPE, data: base.data, position: base.position });
    expect(opaque.recorded).toBe(unknown);
    expect(seen).toEqual(['SomethingNew']);
    const newer = { ...base, schemaVersion: 3 };
    expect(() => decodeEvent(newer)).toThrow(UndecodableEvent);
    expect(() => decodeEvent(newer)).toThrow(/at position 1 \(ApiKeyIssued\).*written by a newer version/);
  });

  it('calls a retry the same event across a schema version bump, and a different body not', () => {
    const v1 = log[0]!;
    const d = decoded[0]!;
    // What a version-2 writer would produce for the same request.
    const asV2 = { type: v1.type, schemaVersion: 2, data: d.data as unknown as Record<string, unknown> };
    expect(sameEvent(v1, asV2)).toBe(true);
    expect(sameEvent(v1, { ...asV2, data: { ...asV2.data, role: 'reader' } })).toBe(false);
    const report = log[45]!;
    expect(sameEvent(report, { ...report })).toBe(true);
    expect(sameEvent(report, { ...report, data: { ...report.data, summary: 'other' } })).toBe(false);
  });
});
