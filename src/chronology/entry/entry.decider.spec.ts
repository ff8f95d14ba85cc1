import { specFor } from '../testing/given-when-then';
import { reportData } from '../testing/report-data';
import { entryDecider, type EntryEvent } from './entry.decider';

const spec = specFor(entryDecider);
const report = reportData();
const entryId = report.entryId;
const reported: EntryEvent = { type: 'DiplomatExpelled', data: report };
const retracted: EntryEvent = { type: 'EntryRetracted', data: { entryId, reason: 'wrong embassy' } };

describe('entry decider', () => {
  describe('reporting', () => {
    it('a report starts a new entry', () => {
      spec.given([]).when({ kind: 'ReportEntry', type: 'DiplomatExpelled', data: report }).then([reported]);
    });

    it('an entry is reported once', () => {
      spec
        .given([reported])
        .when({ kind: 'ReportEntry', type: 'DiplomatExpelled', data: report })
        .thenRejects('conflict', /already exists/);
    });
  });

  describe('follow-ups', () => {
    it('need an existing entry', () => {
      spec
        .given([])
        .when({ kind: 'RetractEntry', data: { entryId, reason: 'x' } })
        .thenRejects('unknown_reference', new RegExp(entryId));
    });

    it('corroboration by another source is recorded', () => {
      const data = { entryId, sourceId: 'reuters', note: 'same account' };
      spec
        .given([reported])
        .when({ kind: 'CorroborateEntry', data })
        .then([{ type: 'EntryCorroborated', data }]);
    });

    it('the source that carried the report cannot corroborate it', () => {
      spec
        .given([reported])
        .when({ kind: 'CorroborateEntry', data: { entryId, sourceId: 'itv-news' } })
        .thenRejects('rule_violated', /cannot corroborate/);
    });

    it('a source corroborates an entry once', () => {
      spec
        .given([reported, { type: 'EntryCorroborated', data: { entryId, sourceId: 'reuters' } }])
        .when({ kind: 'CorroborateEntry', data: { entryId, sourceId: 'reuters' } })
        .thenRejects('rule_violated', /already corroborated/);
    });

    it('a dispute by another actor links the counter-claim', () => {
      const data = {
        entryId,
        byActorId: 'russia',
        counterEntryId: 'd2f1c9a8-0000-4000-8000-000000000001',
        reason: 'denied',
      };
      spec
        .given([reported])
        .when({ kind: 'DisputeEntry', data })
        .then([{ type: 'EntryDisputed', data }]);
    });

    it('the claimant cannot dispute its own claim', () => {
      spec
        .given([reported])
        .when({ kind: 'DisputeEntry', data: { entryId, byActorId: 'us-state-department', reason: 'x' } })
        .thenRejects('rule_violated', /claimant/);
    });

    it('a source disputes one field of a report carried by another source', () => {
      const data = {
        entryId,
        bySourceId: 'ap',
        field: 'occurred' as const,
        alternative: 'the expulsion was announced a day later',
        reason: 'AP reports the date otherwise',
      };
      spec
        .given([reported])
        .when({ kind: 'DisputeEntry', data })
        .then([{ type: 'EntryDisputed', data }]);
    });

    it('the source that carried a report cannot dispute it', () => {
      spec
        .given([reported])
        .when({
          kind: 'DisputeEntry',
          data: { entryId, bySourceId: report.attribution.sourceId, reason: 'x' },
        })
        .thenRejects('rule_violated', /carried this report/);
    });

    it('a field dispute names a field the entry has', () => {
      spec
        .given([reported])
        .when({
          kind: 'DisputeEntry',
          data: { entryId, byActorId: 'russia', field: 'destination', reason: 'x' },
        })
        .thenRejects('rule_violated', /no field destination/);
      const diplomat = { entryId, byActorId: 'russia', field: 'diplomat' as const, reason: 'not him' };
      const named = reportData({ diplomat: { name: 'Bart Gorman', title: 'deputy chief of mission' } });
      spec
        .given([{ type: 'DiplomatExpelled', data: named }])
        .when({ kind: 'DisputeEntry', data: diplomat })
        .then([{ type: 'EntryDisputed', data: diplomat }]);
    });

    it('an entry cannot be its own counter-claim', () => {
      spec
        .given([reported])
        .when({
          kind: 'DisputeEntry',
          data: { entryId, byActorId: 'russia', counterEntryId: entryId, reason: 'x' },
        })
        .thenRejects('rule_violated', /own counter-claim/);
    });

    it('a correction must change something', () => {
      spec
        .given([reported])
        .when({
          kind: 'CorrectEntry',
          data: { entryId, changes: { summary: report.summary }, reason: 'typo' },
        })
        .thenRejects('rule_violated', /changes nothing/);
    });

    it('a correction that changes a field is recorded, and later ones see the corrected report', () => {
      const first = {
        entryId,
        changes: { summary: 'Russia expels Bart Gorman, No. 2 at the US embassy.' },
        reason: 'wording',
      };
      spec
        .given([reported])
        .when({ kind: 'CorrectEntry', data: first })
        .then([{ type: 'EntryCorrected', data: first }]);
      spec
        .given([reported, { type: 'EntryCorrected', data: first }])
        .when({ kind: 'CorrectEntry', data: { ...first, reason: 'again' } })
        .thenRejects('rule_violated', /changes nothing/);
    });
  });

  describe('retraction', () => {
    it('blocks every follow-up but an assessment', () => {
      const past = [reported, retracted];
      spec
        .given(past)
        .when({ kind: 'RetractEntry', data: { entryId, reason: 'again' } })
        .thenRejects('entry_retracted');
      spec
        .given(past)
        .when({ kind: 'CorroborateEntry', data: { entryId, sourceId: 'reuters' } })
        .thenRejects('entry_retracted', /retracted/);
      spec
        .given(past)
        .when({ kind: 'DisputeEntry', data: { entryId, byActorId: 'russia', reason: 'x' } })
        .thenRejects('entry_retracted');
      spec
        .given(past)
        .when({ kind: 'CorrectEntry', data: { entryId, changes: { summary: 'other' }, reason: 'x' } })
        .thenRejects('entry_retracted');
      const assess = { entryId, credibility: 6 as const, rationale: 'cannot be judged after retraction' };
      spec
        .given(past)
        .when({ kind: 'AssessCredibility', data: assess })
        .then([{ type: 'CredibilityAssessed', data: assess }]);
    });
  });

  describe('evolve', () => {
    it('keeps corrections, corroborations, disputes, credibility and retraction in the state', () => {
      const events: EntryEvent[] = [
        reported,
        { type: 'EntryCorroborated', data: { entryId, sourceId: 'reuters' } },
        { type: 'EntryDisputed', data: { entryId, byActorId: 'russia', reason: 'x' } },
        { type: 'EntryCorrected', data: { entryId, changes: { summary: 'corrected' }, reason: 'x' } },
        { type: 'CredibilityAssessed', data: { entryId, credibility: 2, rationale: 'x' } },
        retracted,
      ];
      const state = events.reduce(entryDecider.evolve, entryDecider.initialState);
      expect(state).toMatchObject({
        exists: true,
        type: 'DiplomatExpelled',
        report: { summary: 'corrected', attribution: { sourceId: 'itv-news' } },
        corroboratedBy: ['reuters'],
        disputedBy: ['russia'],
        credibility: 2,
        retracted: true,
      });
    });
  });
});
