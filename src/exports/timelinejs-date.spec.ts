import { parseTemporal } from '../shared/time';
import { timelineJsDates } from './timelinejs-date';

const dates = (start: string, extra: Record<string, unknown> = {}) => {
  const { value, errors } = parseTemporal({ start, timezone: 'Europe/Kyiv', ...extra }, 'occurred');
  if (!value) throw new Error(`not a time: ${start}: ${JSON.stringify(errors)}`);
  return timelineJsDates(value);
};

describe('TimelineJS3 dates from reported times', () => {
  it('gives only the parts the precision states, in the event zone', () => {
    expect(dates('2022')).toEqual({ start_date: { year: 2022 } });
    expect(dates('2022-02')).toEqual({ start_date: { year: 2022, month: 2 } });
    expect(dates('2022-02-17')).toEqual({ start_date: { year: 2022, month: 2, day: 17 } });
    expect(dates('2022-02-17T05')).toEqual({ start_date: { year: 2022, month: 2, day: 17, hour: 5 } });
    expect(dates('2022-02-17T05:30')).toEqual({
      start_date: { year: 2022, month: 2, day: 17, hour: 5, minute: 30 },
    });
  });

  it('shows a time stated with an offset in the event zone', () => {
    // 04:30 on the 18th in UTC.
    expect(dates('2022-02-17T23:30-05:00', { timezone: 'America/New_York' })).toEqual({
      start_date: { year: 2022, month: 2, day: 17, hour: 23, minute: 30 },
    });
    expect(dates('2022-02-17', { timezone: 'Pacific/Auckland' })).toEqual({
      start_date: { year: 2022, month: 2, day: 17 },
    });
  });

  it('names a week or a part of the day in display_date', () => {
    expect(dates('2022-W07')).toEqual({
      start_date: { year: 2022, month: 2, day: 14, display_date: 'Week 7, 2022' },
    });
    expect(dates('2022-02-17', { precision: 'morning' })).toEqual({
      start_date: { year: 2022, month: 2, day: 17, display_date: '17 February 2022, morning' },
    });
  });

  it('gives an end_date only for an interval longer than its start unit: the last unit it covers', () => {
    expect(dates('2022-02-20', { end: '2022-02-27' })).toEqual({
      start_date: { year: 2022, month: 2, day: 20 },
      end_date: { year: 2022, month: 2, day: 27 },
    });
    expect(dates('2022-01', { end: '2022-03' })).toEqual({
      start_date: { year: 2022, month: 1 },
      end_date: { year: 2022, month: 3 },
    });
    expect(dates('2022-02-17T09:15', { end: '2022-02-17T11:00' })).toMatchObject({
      end_date: { year: 2022, month: 2, day: 17, hour: 11, minute: 0 },
    });
    expect(dates('2022-02-17', { precision: 'evening', end: '2022-02-18T10:00' })).toMatchObject({
      end_date: { year: 2022, month: 2, day: 18 },
    });
  });
});
