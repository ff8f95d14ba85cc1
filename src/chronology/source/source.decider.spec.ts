import { crisisDecider } from '../crisis/crisis.decider';
import { specFor } from '../testing/given-when-then';
import { sourceDecider, type SourceEvent } from './source.decider';

const registered: SourceEvent = {
  type: 'SourceRegistered',
  data: { sourceId: 'itv-news', name: 'ITV News', kind: 'outlet' },
};

describe('source decider', () => {
  const spec = specFor(sourceDecider);

  it('registers a source once', () => {
    spec.given([]).when({ kind: 'RegisterSource', data: registered.data }).then([registered]);
    spec.given([registered]).when({ kind: 'RegisterSource', data: registered.data }).thenRejects('conflict');
  });

  it('grades only a registered source, as often as the grade is revisited', () => {
    const grade = { sourceId: 'itv-news', reliability: 'B' as const, rationale: 'established broadcaster' };
    spec
      .given([registered])
      .when({ kind: 'GradeSource', data: grade })
      .then([{ type: 'SourceGraded', data: grade }]);
    spec
      .given([registered, { type: 'SourceGraded', data: grade }])
      .when({ kind: 'GradeSource', data: { ...grade, reliability: 'C' } })
      .then([{ type: 'SourceGraded', data: { ...grade, reliability: 'C' } }]);
    spec
      .given([])
      .when({ kind: 'GradeSource', data: grade })
      .thenRejects('unknown_reference', /not registered/);
  });
});

describe('crisis decider', () => {
  const spec = specFor(crisisDecider);
  const data = { crisisId: 'russia-ukraine-2022', name: 'Russia–Ukraine border crisis' };

  it('registers a crisis once', () => {
    spec
      .given([])
      .when({ kind: 'RegisterCrisis', data })
      .then([{ type: 'CrisisRegistered', data }]);
    spec
      .given([{ type: 'CrisisRegistered', data }])
      .when({ kind: 'RegisterCrisis', data })
      .thenRejects('conflict');
  });
});
