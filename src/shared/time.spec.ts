import type { FieldError } from './errors';
import { parseInstant, parseTemporal } from './time';

describe('parseTemporal', () => {
  it('normalises a minute value with an IANA zone to a UTC interval of one minute', () => {
    const { value, errors } = parseTemporal(
      { start: '2022-02-17T08:30', timezone: 'Europe/Kyiv' },
      'occurred',
    );
    expect(errors).toEqual([]);
    expect(value).toEqual({
      start: '2022-02-17T06:30:00.000Z',
      end: '2022-02-17T06:31:00.000Z',
      precision: 'minute',
      approximate: false,
      timezone: 'Europe/Kyiv',
      startLocal: '2022-02-17T08:30:00.000+02:00',
    });
  });

  it('treats a date-only value with a zone as a whole day in that zone', () => {
    const { value } = parseTemporal({ start: '2022-02-16', timezone: 'Europe/London' }, 'occurred');
    expect(value).toMatchObject({
      start: '2022-02-16T00:00:00.000Z',
      end: '2022-02-17T00:00:00.000Z',
      precision: 'day',
    });
  });

  it('derives the zone from an explicit offset when no timezone is given', () => {
    const { value } = parseTemporal({ start: '2022-02-17T09:00:00+03:00' }, 'occurred');
    expect(value).toMatchObject({ start: '2022-02-17T06:00:00.000Z', timezone: 'UTC+3' });
    const utc = parseTemporal({ start: '2022-02-17T09:00:00Z' }, 'occurred').value;
    expect(utc?.timezone).toBe('UTC');
  });

  it('keeps "around eight or nine in the morning" as an approximate two-hour interval', () => {
    const { value } = parseTemporal(
      {
        start: '2022-02-17T08',
        end: '2022-02-17T09',
        precision: 'hour',
        approximate: true,
        timezone: 'Europe/Kyiv',
      },
      'occurred',
    );
    expect(value).toMatchObject({
      start: '2022-02-17T06:00:00.000Z',
      end: '2022-02-17T08:00:00.000Z',
      precision: 'hour',
      approximate: true,
    });
  });

  it('reads month and ISO week values', () => {
    expect(parseTemporal({ start: '2022-02', timezone: 'UTC' }, 'o').value).toMatchObject({
      start: '2022-02-01T00:00:00.000Z',
      end: '2022-03-01T00:00:00.000Z',
      precision: 'month',
    });
    expect(parseTemporal({ start: '2022-W07', timezone: 'UTC' }, 'o').value).toMatchObject({
      start: '2022-02-14T00:00:00.000Z',
      end: '2022-02-21T00:00:00.000Z',
      precision: 'week',
    });
  });

  it('reads a year-only value as that whole year, at year precision', () => {
    expect(parseTemporal({ start: '2019', timezone: 'Europe/Kyiv' }, 'o').value).toMatchObject({
      start: '2018-12-31T22:00:00.000Z',
      end: '2019-12-31T22:00:00.000Z',
      precision: 'year',
    });
    const decade = parseTemporal({ start: '2014', end: '2022', timezone: 'UTC' }, 'o').value;
    expect(decade).toMatchObject({ start: '2014-01-01T00:00:00.000Z', end: '2023-01-01T00:00:00.000Z' });
  });

  it('keeps each bound at its own precision: a day start with a timed end ends at that time', () => {
    const { value, errors } = parseTemporal(
      { start: '2022-02-17', end: '2022-02-17T18:30+05:30', timezone: 'Asia/Kolkata' },
      'o',
    );
    expect(errors).toEqual([]);
    expect(value).toMatchObject({
      start: '2022-02-16T18:30:00.000Z', // 00:00 in Kolkata
      end: '2022-02-17T13:01:00.000Z', // the end of the minute 18:30 in Kolkata
      precision: 'day',
    });
    // A stated precision still applies to both bounds.
    const stated = parseTemporal(
      { start: '2022-02-17', end: '2022-02-17T18:30', precision: 'day', timezone: 'UTC' },
      'o',
    ).value;
    expect(stated).toMatchObject({ end: '2022-02-18T00:00:00.000Z' });
  });

  it('refuses an offset that contradicts the stated zone, naming both', () => {
    const { value, errors } = parseTemporal(
      { start: '2022-02-17T10:05+05:00', timezone: 'Asia/Kolkata' },
      'occurred',
    );
    expect(value).toBeUndefined();
    expect(errors).toEqual([
      {
        path: 'occurred.start',
        message:
          '"2022-02-17T10:05+05:00" gives the offset +05:00, but Asia/Kolkata is at +05:30 then: give one of them, or make them agree',
      },
    ]);
    // Agreeing ones are fine, on either side of a change of offset.
    expect(parseTemporal({ start: '2022-03-27T04:30+03:00', timezone: 'Europe/Kyiv' }, 'o').errors).toEqual(
      [],
    );
    expect(parseTemporal({ start: '2022-03-27T01:30+02:00', timezone: 'Europe/Kyiv' }, 'o').errors).toEqual(
      [],
    );
    const end = parseTemporal(
      { start: '2022-02-17T10:05+05:30', end: '2022-02-17T11:00+04:00', timezone: 'Asia/Kolkata' },
      'o',
    );
    expect(end.errors.map((e) => e.path)).toEqual(['o.end']);
  });

  it("reads a part of a day as its hours in the event's zone", () => {
    const dawn = parseTemporal({ start: '2022-02-17', precision: 'dawn', timezone: 'Europe/Kyiv' }, 'o');
    expect(dawn.value).toMatchObject({
      start: '2022-02-17T03:00:00.000Z', // 05:00 in Kyiv
      end: '2022-02-17T06:00:00.000Z', // 08:00
      precision: 'dawn',
      startLocal: '2022-02-17T05:00:00.000+02:00',
    });
    const evening = parseTemporal({ start: '2022-02-17T19:30', precision: 'evening', timezone: 'UTC' }, 'o');
    expect(evening.value).toMatchObject({
      start: '2022-02-17T18:00:00.000Z',
      end: '2022-02-18T00:00:00.000Z',
    });
    // The night the clocks moved forward in Kyiv lasts five hours.
    const night = parseTemporal({ start: '2022-03-27', precision: 'night', timezone: 'Europe/Kyiv' }, 'o');
    expect(night.value).toMatchObject({ start: '2022-03-26T22:00:00.000Z', end: '2022-03-27T03:00:00.000Z' });
    const outside = parseTemporal({ start: '2022-02-17T14:00', precision: 'morning', timezone: 'UTC' }, 'o');
    expect(outside.errors).toEqual([
      { path: 'o.start', message: '"2022-02-17T14:00" is not within the morning (6:00-12:00) of its day' },
    ]);
    // "From the morning of the 17th to the 19th."
    const until = parseTemporal(
      { start: '2022-02-17', end: '2022-02-19', precision: 'morning', timezone: 'UTC' },
      'o',
    );
    expect(until.value).toMatchObject({ start: '2022-02-17T06:00:00.000Z', end: '2022-02-20T00:00:00.000Z' });
  });

  it('needs the day for a part of it, and keeps a timed start and an end in order', () => {
    const errorsOf = (input: Parameters<typeof parseTemporal>[0]) => parseTemporal(input, 'o').errors;
    expect(errorsOf({ start: '2022-02', precision: 'morning', timezone: 'UTC' })).toEqual([
      { path: 'o.precision', message: 'precision morning is finer than "2022-02" (month)' },
    ]);
    expect(errorsOf({ start: '2019', precision: 'dawn', timezone: 'UTC' })[0]?.path).toBe('o.precision');
    expect(errorsOf({ start: '2022-W07', precision: 'evening', timezone: 'UTC' })[0]?.path).toBe(
      'o.precision',
    );
    // Midnight is a time, not the bare date: it is not in the evening.
    expect(errorsOf({ start: '2022-02-17T00:00', precision: 'evening', timezone: 'UTC' })[0]?.path).toBe(
      'o.start',
    );
    expect(
      errorsOf({ start: '2022-02-17T10:00', end: '2022-02-17T07:00', precision: 'morning', timezone: 'UTC' }),
    ).toEqual([{ path: 'o.end', message: 'end (2022-02-17T07:00) is before start (2022-02-17T10:00)' }]);
    const sameDay = parseTemporal(
      { start: '2022-02-17', end: '2022-02-17', precision: 'morning', timezone: 'UTC' },
      'o',
    );
    expect(sameDay.value).toMatchObject({
      start: '2022-02-17T06:00:00.000Z',
      end: '2022-02-18T00:00:00.000Z',
    });
  });

  it('truncates to a coarser precision than the value carries', () => {
    const { value } = parseTemporal({ start: '2022-02-17T13:45', precision: 'day', timezone: 'UTC' }, 'o');
    expect(value).toMatchObject({ start: '2022-02-17T00:00:00.000Z', end: '2022-02-18T00:00:00.000Z' });
  });

  it('extends a day interval to a later end day ("within several days")', () => {
    const { value } = parseTemporal({ start: '2022-02-17', end: '2022-02-20', timezone: 'UTC' }, 'o');
    expect(value).toMatchObject({ start: '2022-02-17T00:00:00.000Z', end: '2022-02-21T00:00:00.000Z' });
  });

  it.each([
    [{ start: '2022-02-17T08:00' }, 'occurred.start', /no time zone/],
    [{ start: '2022-02-17', timezone: 'Mars/Olympus' }, 'occurred.timezone', /IANA/],
    [{ start: '17/02/2022', timezone: 'UTC' }, 'occurred.start', /ISO 8601/],
    [{ start: '2022-02-17T10:00Z', end: '2022-02-17T09:00Z' }, 'occurred.end', /before start/],
    [{ start: '2022-02-17', precision: 'minute' as const, timezone: 'UTC' }, 'occurred.precision', /finer/],
  ])('rejects %j naming %s', (input, path, message) => {
    const { value, errors } = parseTemporal(input, 'occurred');
    expect(value).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe(path);
    expect(errors[0]!.message).toMatch(message);
  });
});

describe('parseInstant', () => {
  it('accepts an instant with an offset and returns UTC', () => {
    const errors: FieldError[] = [];
    expect(parseInstant('2022-02-17T12:00:00+02:00', 'reportedAt', errors)).toBe('2022-02-17T10:00:00.000Z');
    expect(errors).toEqual([]);
  });

  it('rejects a local time or a date', () => {
    const errors: FieldError[] = [];
    expect(parseInstant('2022-02-17T12:00:00', 'reportedAt', errors)).toBeUndefined();
    expect(parseInstant('2022-02-17', 'publishedAt', errors)).toBeUndefined();
    expect(errors.map((e) => e.path)).toEqual(['reportedAt', 'publishedAt']);
  });
});
