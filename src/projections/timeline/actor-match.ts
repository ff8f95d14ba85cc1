import type { MemberPeriod } from './actor-involvement.types';

/**
 * SQL matching an actor link (alias `link`) of an entry version (alias `version`) to the actors:
 * any of `ids`, or a member for a period whose entry began within it.
 */
export function actorMatchSql(
  link: string,
  version: string,
  ids: readonly string[],
  periods: readonly MemberPeriod[] = [],
): { sql: string; params: unknown[] } {
  const arms = ids.length > 0 ? [`${link}.actor_id IN (${ids.map(() => '?').join(',')})`] : [];
  const params: unknown[] = [...ids];
  for (const p of periods) {
    arms.push(`(${link}.actor_id = ? AND ${version}.start_ms >= ? AND ${version}.start_ms < ?)`);
    params.push(p.actorId, p.fromMs, p.toMs);
  }
  return { sql: arms.length > 0 ? `(${arms.join(' OR ')})` : '0', params };
}
