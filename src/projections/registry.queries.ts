import { Inject, Injectable } from '@nestjs/common';
import { READ_DB, tablesOf, type ReadDb } from './projection';
import { existedIn, validIn, type Scope } from './scope';

const profiles = tablesOf('actors')('profiles');
const sources = tablesOf('sources')('sources');
const grades = tablesOf('sources')('grades');

/** SQL expression: the reliability letter of the source in `sourceColumn`, as graded in `scope`. */
export function reliabilitySql(sourceColumn: string, scope: Scope): { sql: string; params: unknown[] } {
  if (scope.kind === 'current')
    return {
      sql: `(SELECT rs.reliability FROM ${sources} rs WHERE rs.source_id = ${sourceColumn})`,
      params: [],
    };
  const seen = existedIn('rg.seq', scope);
  return {
    sql: `(SELECT rg.reliability FROM ${grades} rg WHERE rg.source_id = ${sourceColumn} AND ${seen.sql} ORDER BY rg.seq DESC LIMIT 1)`,
    params: seen.params,
  };
}

export interface Member {
  readonly actorId: string;
  readonly name: string;
  readonly via: 'parent' | 'memberOf';
}

/** Names, grades and hierarchies as they stood in a scope (actors and sources read models). */
@Injectable()
export class RegistryQueries {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  actorNames(ids: Iterable<string>, scope: Scope): Map<string, string> {
    const list = [...new Set(ids)];
    if (list.length === 0) return new Map();
    const valid = validIn('p', scope);
    const rows = this.db
      .prepare<unknown[], { actor_id: string; name: string }>(
        `SELECT p.actor_id, p.name FROM ${profiles} p WHERE p.actor_id IN (${list.map(() => '?').join(',')}) AND ${valid.sql}`,
      )
      .all(...list, ...valid.params);
    return new Map(rows.map((r) => [r.actor_id, r.name]));
  }

  sources(ids: Iterable<string>, scope: Scope): Map<string, { name: string; reliability: string | null }> {
    const list = [...new Set(ids)];
    if (list.length === 0) return new Map();
    const reliability = reliabilitySql('s.source_id', scope);
    const rows = this.db
      .prepare<unknown[], { source_id: string; name: string; reliability: string | null }>(
        `SELECT s.source_id, s.name, ${reliability.sql} AS reliability FROM ${sources} s WHERE s.source_id IN (${list.map(() => '?').join(',')})`,
      )
      .all(...reliability.params, ...list);
    return new Map(rows.map((r) => [r.source_id, { name: r.name, reliability: r.reliability }]));
  }

  /** Actors below this one, by parent or membership, transitively, as the hierarchy stood in scope. */
  members(actorId: string, scope: Scope): Member[] {
    const valid = validIn('p', scope);
    return this.db
      .prepare<unknown[], { id: string; name: string; via: 'parent' | 'memberOf' }>(
        `WITH RECURSIVE tree(id, via) AS (
           SELECT ?, NULL UNION
           SELECT p.actor_id, CASE WHEN p.parent_id = tree.id THEN 'parent' ELSE 'memberOf' END
           FROM ${profiles} p JOIN tree
             ON (p.parent_id = tree.id OR EXISTS (SELECT 1 FROM json_each(p.member_of) j WHERE j.value = tree.id))
           WHERE ${valid.sql})
         SELECT tree.id, p.name, tree.via FROM tree JOIN ${profiles} p ON p.actor_id = tree.id AND ${valid.sql}
         WHERE tree.via IS NOT NULL ORDER BY p.name`,
      )
      .all(actorId, ...valid.params, ...valid.params)
      .map((m) => ({ actorId: m.id, name: m.name, via: m.via }));
  }
}
