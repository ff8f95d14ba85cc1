import { tablesOf, type ReadDb } from '../projection';
import { validIn, type Scope } from '../scope';
import type { MemberPeriod } from '../timeline/actor-involvement.types';
import { actorsProjection } from './actors.projection';

const t = tablesOf(actorsProjection.name);

/** An actor below another: by parent, by membership at registration, or by a stated relation. */
export interface Member {
  readonly actorId: string;
  readonly name: string;
  readonly via: 'parent' | 'memberOf' | 'relation';
  /** For a membership stated for a period (through the whole path): when it holds, UTC. */
  readonly validFrom?: string | null;
  readonly validTo?: string | null;
}

/** A relation as stated, with the other actor's name. */
export interface StatedRelation {
  readonly actorId: string;
  readonly relation: string;
  readonly toActorId: string;
  readonly name: string | null;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly sourceId: string | null;
  readonly note: string | null;
}

const later = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : a > b ? a : b;
const earlier = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : a < b ? a : b;

/**
 * Actors below one, transitively (cycles cut), as the hierarchy stood in `scope`: by parent or
 * membership given at registration (always), and by `member-of` relations stated for a period.
 * A member reached through a period holds only within it (periods along a path intersect).
 */
export function membersOf(db: ReadDb, actorId: string, scope: Scope): Member[] {
  const p = validIn('p', scope);
  const r = validIn('r', scope);
  const untimed = db.prepare<unknown[], { actorId: string; name: string; via: 'parent' | 'memberOf' }>(
    `SELECT p.actor_id AS actorId, p.name, CASE WHEN p.parent_id = ? THEN 'parent' ELSE 'memberOf' END AS via
     FROM ${t('profiles')} p
     WHERE (p.parent_id = ? OR EXISTS (SELECT 1 FROM json_each(p.member_of) j WHERE j.value = ?)) AND ${p.sql}`,
  );
  const stated = db.prepare<
    unknown[],
    { actorId: string; name: string; validFrom: string | null; validTo: string | null }
  >(
    `SELECT r.actor_id AS actorId, p.name, r.valid_from AS validFrom, r.valid_to AS validTo
     FROM ${t('relations')} r JOIN ${t('profiles')} p ON p.actor_id = r.actor_id AND ${p.sql}
     WHERE r.to_actor_id = ? AND r.relation = 'member-of' AND ${r.sql}`,
  );
  const out = new Map<string, Member>();
  const todo: Array<{ id: string; from: string | null; to: string | null }> = [
    { id: actorId, from: null, to: null },
  ];
  const seen = new Set([actorId]);
  while (todo.length > 0) {
    const { id, from, to } = todo.shift()!;
    const children = [
      ...untimed.all(id, id, id, ...p.params).map((c) => ({ ...c, validFrom: null, validTo: null })),
      ...stated.all(...p.params, id, ...r.params).map((c) => ({ ...c, via: 'relation' as const })),
    ];
    for (const c of children) {
      if (seen.has(c.actorId)) continue;
      seen.add(c.actorId);
      const f = later(from, c.validFrom);
      const u = earlier(to, c.validTo);
      if (f !== null && u !== null && f >= u) continue;
      out.set(c.actorId, {
        actorId: c.actorId,
        name: c.name,
        via: c.via,
        ...(f !== null || u !== null ? { validFrom: f, validTo: u } : {}),
      });
      todo.push({ id: c.actorId, from: f, to: u });
    }
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name) || a.actorId.localeCompare(b.actorId));
}

/** The relations an actor states and those stated of it, as they stood in `scope`. */
export function relationsOf(
  db: ReadDb,
  actorId: string,
  scope: Scope,
): { relations: StatedRelation[]; relatedBy: StatedRelation[] } {
  const r = validIn('r', scope);
  const p = validIn('p', scope);
  const select = (column: 'actor_id' | 'to_actor_id', other: 'actor_id' | 'to_actor_id') =>
    db
      .prepare<unknown[], StatedRelation>(
        `SELECT r.actor_id AS actorId, r.relation, r.to_actor_id AS toActorId,
           (SELECT p.name FROM ${t('profiles')} p WHERE p.actor_id = r.${other} AND ${p.sql}) AS name,
           r.valid_from AS validFrom, r.valid_to AS validTo, r.source_id AS sourceId, r.note
         FROM ${t('relations')} r WHERE r.${column} = ? AND ${r.sql} ORDER BY r.relation, r.${other}`,
      )
      .all(...p.params, actorId, ...r.params);
  return { relations: select('actor_id', 'to_actor_id'), relatedBy: select('to_actor_id', 'actor_id') };
}

/** Untimed members' ids and timed members' periods, as the timeline's filters take them. */
export function splitMembers(members: readonly Member[]): { ids: string[]; periods: MemberPeriod[] } {
  const ids: string[] = [];
  const periods: MemberPeriod[] = [];
  for (const m of members) {
    if (m.validFrom === undefined && m.validTo === undefined) ids.push(m.actorId);
    else
      periods.push({
        actorId: m.actorId,
        fromMs: m.validFrom ? Date.parse(m.validFrom) : -8.64e15,
        toMs: m.validTo ? Date.parse(m.validTo) : 8.64e15,
      });
  }
  return { ids, periods };
}
