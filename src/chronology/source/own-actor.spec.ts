import { AppError } from '../../shared/errors';
import { actorDeciderFor } from '../actor/actor.decider';
import { planActor } from '../actor/actor.intake';
import { fold } from '../decider';
import type { SourceRegisteredDto } from '../dto/registry.dto';
import { lookupEventType } from '../events/catalogue';
import type { EventType } from '../events/event-type';
import { specFor } from '../testing/given-when-then';
import { defaultClaimantOf, sourceDecider, type SourceEvent } from './source.decider';
import { planSource } from './source.intake';

const reuters = { sourceId: 'reuters', name: 'Reuters', kind: 'outlet' as const };
const own = { actorId: 'reuters', name: 'Reuters', kind: 'media' };
const withOwn: SourceEvent = { type: 'SourceRegistered', data: { ...reuters, ownActor: own } };
const affiliated: SourceEvent = {
  type: 'SourceRegistered',
  data: { sourceId: 'ukraine-mod', name: 'MoD', kind: 'official', affiliatedActorId: 'ukraine' },
};
/** A version-1 registration (before own actors): no affiliation, no own actor. */
const old: SourceEvent = { type: 'SourceRegistered', data: reuters };

/** The catalogue's event type of this name. */
const typed = (name: string): EventType => lookupEventType(name)!;
const nobody = (_actorId: string): Promise<boolean> => Promise.resolve(false);
const plan = (dto: object, taken = nobody) =>
  planSource(typed('SourceRegistered'), dto as SourceRegisteredDto, taken);

describe("a source's own actor", () => {
  const spec = specFor(sourceDecider);

  it('is created with a source that names no affiliated actor: the source id, its name, a kind from its kind', async () => {
    expect((await plan(reuters)).decide([])).toEqual([withOwn]);
    const described = await plan({ ...reuters, ownActor: { kind: 'news-agency', countryCode: 'GB' } });
    expect(described.decide([])).toEqual([
      {
        type: 'SourceRegistered',
        data: { ...reuters, ownActor: { ...own, kind: 'news-agency', countryCode: 'GB' } },
      },
    ]);
    const official = await plan({ sourceId: 'kremlin', name: 'Kremlin', kind: 'official' });
    expect(official.decide([])).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          ownActor: { actorId: 'kremlin', name: 'Kremlin', kind: 'government-body' },
        }),
      }),
    ]);
  });

  it('is not created for a source affiliated with an actor, which may not describe one', async () => {
    expect((await plan(affiliated.data)).decide([])).toEqual([affiliated]);
    await expect(plan({ ...affiliated.data, ownActor: { name: 'MoD' } })).rejects.toMatchObject({
      code: 'validation_failed',
      extensions: { errors: [expect.objectContaining({ path: 'data.ownActor' })] },
    });
  });

  it('refuses a source whose own actor would take the id of an actor registered already', async () => {
    const taken = (id: string) => Promise.resolve(id === 'reuters');
    await expect(plan(reuters, taken).then((p) => p.decide([]))).rejects.toBeInstanceOf(AppError);
    spec
      .given([])
      .when({ kind: 'RegisterSource', data: withOwn.data, ownActorIdTaken: true })
      .thenRejects('conflict', /actor reuters is already registered.*affiliatedActorId/);
    // An affiliated source creates no actor: the affiliated one may well have the source's id.
    spec
      .given([])
      .when({ kind: 'RegisterSource', data: affiliated.data, ownActorIdTaken: true })
      .then([affiliated]);
  });

  it('is the default claimant unless the source is affiliated; an old source has none', () => {
    expect(defaultClaimantOf(fold(sourceDecider, [withOwn]))).toBe('reuters');
    expect(defaultClaimantOf(fold(sourceDecider, [affiliated]))).toBe('ukraine');
    expect(defaultClaimantOf(fold(sourceDecider, [old]))).toBeUndefined();
    expect(defaultClaimantOf(fold(sourceDecider, []))).toBeUndefined();
  });

  it('cannot be registered again as an actor, and takes aliases as any actor does', () => {
    const actors = specFor(actorDeciderFor(own));
    actors
      .given([])
      .when({ kind: 'RegisterActor', data: own })
      .thenRejects('conflict', /own actor of source reuters/);
    const alias = { actorId: 'reuters', alias: 'Thomson Reuters' };
    actors
      .given([])
      .when({ kind: 'AddActorAlias', data: alias })
      .then([{ type: 'ActorAliasAdded', data: alias }]);
    // Through the intake as well: the plan decides on the actor's stream seeded with the own actor.
    const planned = planActor(typed('ActorRegistered'), own, own);
    expect(() => planned.decide([])).toThrow(/own actor of source reuters/);
    expect(() => planActor(typed('ActorAliasAdded'), alias).decide([])).toThrow(/not registered/);
  });
});
