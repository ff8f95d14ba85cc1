import type { MeasureStatusChangedData } from '../events/event-data';
import { measureCodes } from '../events/measure.events';
import type { MeasureState } from '../events/vocabulary';
import { specFor } from '../testing/given-when-then';
import { measureDecider, type MeasureEvent } from './measure.decider';

const spec = specFor(measureDecider);
const measureId = 'eu-airspace-closure';
const registered: MeasureEvent = {
  type: 'MeasureRegistered',
  data: {
    measureId,
    crisisId: 'russia-ukraine-2022',
    kind: 'airspace-closure',
    name: 'EU airspace closed to Russian aircraft',
    byActorIds: ['eu'],
    targetActorIds: ['russia'],
  },
};
const change = (status: MeasureState): MeasureStatusChangedData => ({
  measureId,
  status,
  effective: {
    start: '2022-02-27T23:00:00.000Z',
    end: '2022-02-28T23:00:00.000Z',
    precision: 'day',
    approximate: false,
    timezone: 'Europe/Brussels',
    startLocal: '2022-02-28T00:00:00.000+01:00',
  },
  sourceId: 'reuters',
});
const past = (...states: MeasureState[]): MeasureEvent[] => [
  registered,
  ...states.map((s): MeasureEvent => ({ type: 'MeasureStatusChanged', data: change(s) })),
];

describe('measure decider: a measure and its lifecycle', () => {
  it('registers a measure once', () => {
    spec.given([]).when({ kind: 'RegisterMeasure', data: registered.data }).then([registered]);
    spec.given([registered]).when({ kind: 'RegisterMeasure', data: registered.data }).thenRejects('conflict');
  });

  it('refuses a change of a measure never registered', () => {
    spec
      .given([])
      .when({ kind: 'ChangeMeasureStatus', data: change('imposed') })
      .thenRejects('unknown_reference', /does not exist/);
  });

  it.each<[MeasureState[], MeasureState]>([
    [[], 'discussed'],
    [[], 'imposed'],
    [['discussed'], 'proposed'],
    [['proposed', 'planned'], 'announced'],
    [['announced'], 'imposed'],
    [['imposed'], 'extended'],
    [['imposed', 'extended'], 'extended'],
    [['imposed'], 'partly-lifted'],
    [['imposed', 'partly-lifted'], 'partly-lifted'],
    [['imposed', 'partly-lifted'], 'extended'],
    [['imposed'], 'suspended'],
    [['imposed', 'suspended'], 'imposed'],
    [['imposed', 'suspended'], 'lifted'],
    [['imposed'], 'lifted'],
    [['imposed', 'lifted'], 'imposed'],
    [['imposed', 'lifted'], 'proposed'],
  ])('after %j, it may become %s', (before, next) => {
    spec
      .given(past(...before))
      .when({ kind: 'ChangeMeasureStatus', data: change(next) })
      .then([{ type: 'MeasureStatusChanged', data: change(next) }]);
  });

  it.each<[MeasureState[], MeasureState, RegExp]>([
    [['proposed'], 'lifted', /not yet imposed/],
    [['announced'], 'extended', /not yet imposed/],
    [['imposed'], 'imposed', /already imposed/],
    [['imposed'], 'announced', /in force/],
    [['imposed', 'extended'], 'proposed', /in force/],
    [['imposed', 'suspended'], 'extended', /reinstated/],
    [['imposed', 'lifted'], 'suspended', /imposed or proposed anew/],
    [['imposed', 'lifted'], 'lifted', /already lifted/],
  ])('after %j, it may not become %s', (before, next, why) => {
    spec
      .given(past(...before))
      .when({ kind: 'ChangeMeasureStatus', data: change(next) })
      .thenRejects('rule_violated', why);
  });

  it('codes a change by the kind of measure and the phase it enters', () => {
    expect(measureCodes('sanctions', 'announced')).toEqual({ cameo: ['1312'], plover: { type: 'THREATEN' } });
    expect(measureCodes('airspace-closure', 'imposed')).toEqual({
      cameo: ['163'],
      plover: { type: 'SANCTION' },
    });
    expect(measureCodes('sanctions', 'partly-lifted')).toEqual({
      cameo: ['085'],
      plover: { type: 'CONCEDE' },
    });
    expect(measureCodes('diplomatic-downgrade', 'imposed').cameo).toEqual(['161']);
    expect(measureCodes('treaty-suspension', 'lifted').cameo).toEqual(['080']);
  });
});
