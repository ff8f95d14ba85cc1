import { REPORT_COMMON_FIELDS, type Attribution, type ReportData } from '../../chronology/events';
import type { ActorName } from '../actors/actors.reader';
import type { SourceSummary } from '../sources/sources.reader';
import type { TimelineDoc } from './timeline.doc';

/** Names and grades the timeline shows beside ids. */
export interface NameBook {
  actor(id: string): string | null;
  source(id: string): { name: string; reliability: string | null } | null;
}

/** The actors and sources these entries name, whose names (and grades) they are shown with. */
export function namedIn(docs: readonly TimelineDoc[]): { actorIds: string[]; sourceIds: string[] } {
  const actorIds: string[] = [];
  const sourceIds: string[] = [];
  for (const d of docs) {
    actorIds.push(...d.report.actors.map((a) => a.actorId));
    sourceIds.push(d.report.attribution.sourceId, ...d.corroborations.map((c) => c.sourceId));
    for (const hop of d.report.attribution.chain ?? []) {
      if (hop.sourceId) sourceIds.push(hop.sourceId);
      if (hop.actorId) actorIds.push(hop.actorId);
    }
    for (const x of d.disputes) {
      if (x.byActorId) actorIds.push(x.byActorId);
      if (x.bySourceId) sourceIds.push(x.bySourceId);
    }
  }
  return { actorIds, sourceIds };
}

export function nameBook(actors: readonly ActorName[], sources: readonly SourceSummary[]): NameBook {
  const actorNames = new Map(actors.map((a) => [a.actorId, a.name]));
  const sourceSummaries = new Map(sources.map((s) => [s.sourceId, s]));
  return {
    actor: (id) => actorNames.get(id) ?? null,
    source: (id) => {
      const s = sourceSummaries.get(id);
      return s ? { name: s.name, reliability: s.reliability } : null;
    },
  };
}

const COMMON_FIELDS: ReadonlySet<string> = new Set(['entryId', 'crisisId', ...REPORT_COMMON_FIELDS, 'codes']);

/** The type's own fields of a report (diplomat, destination, mode...). */
export function detailsOf(report: ReportData): Record<string, unknown> {
  return Object.fromEntries(Object.entries(report).filter(([k]) => !COMMON_FIELDS.has(k)));
}

/**
 * What the entry's disputes contest: the whole entry (a dispute naming no field) and the fields
 * named, each once. The status is `disputed` either way; this says of what.
 */
export function disputedParts(doc: TimelineDoc): { wholeEntry: boolean; fields: string[] } {
  const fields = [...new Set(doc.disputes.flatMap((d) => (d.field ? [d.field] : [])))].sort();
  return { wholeEntry: doc.disputes.some((d) => !d.field), fields };
}

const WORST_FIRST = 'FEDCBA';

/**
 * The grade of an attribution chain: its weakest link. The links graded are the source that
 * carried the report and every hop that is a registered source (by its grade in the read's scope;
 * ungraded counts as F); an anonymous hop is F, "reliability cannot be judged". A named actor is
 * not a source: the source quoting it vouches for the quote, so it adds no grade of its own.
 */
export function chainReliability(attribution: Attribution, names: NameBook): string {
  const grades = [names.source(attribution.sourceId)?.reliability ?? 'F'];
  for (const hop of attribution.chain ?? []) {
    if (hop.sourceId) grades.push(names.source(hop.sourceId)?.reliability ?? 'F');
    else if (hop.anonymous) grades.push('F');
  }
  return [...WORST_FIRST].find((g) => grades.includes(g))!;
}

/** One timeline item: the entry as it stands, with claimant, source, grade and status. */
export function presentEntry(doc: TimelineDoc, names: NameBook) {
  const r = doc.report;
  const source = names.source(r.attribution.sourceId);
  const reliability = source?.reliability ?? null;
  const credibility = doc.credibility?.value ?? null;
  const actor = (actorId: string) => ({ actorId, name: names.actor(actorId) });
  const chain = r.attribution.chain?.length ? chainReliability(r.attribution, names) : null;
  return {
    entryId: doc.entryId,
    type: doc.type,
    crisisId: r.crisisId,
    status: doc.status,
    summary: r.summary,
    ...(r.quote ? { quote: r.quote } : {}),
    occurred: r.occurred,
    ...(r.reportedAt ? { reportedAt: r.reportedAt } : {}),
    ...(r.locations?.length ? { locations: r.locations, location: r.locations[0] } : {}),
    claimants: r.actors.filter((a) => a.role === 'claimant').map((a) => actor(a.actorId)),
    actors: r.actors.map((a) => ({ ...actor(a.actorId), role: a.role })),
    ...(r.actingChain
      ? { actingChain: r.actingChain.map((h) => ({ ...h, name: names.actor(h.actorId) })) }
      : {}),
    source: { sourceId: r.attribution.sourceId, name: source?.name ?? null, reliability },
    attribution: r.attribution.chain
      ? {
          ...r.attribution,
          chain: r.attribution.chain.map((h) => ({
            ...h,
            ...(h.sourceId ? { name: names.source(h.sourceId)?.name ?? null } : {}),
            ...(h.actorId ? { name: names.actor(h.actorId) } : {}),
          })),
        }
      : r.attribution,
    grade: {
      reliability,
      credibility,
      // Admiralty code; an unknown part is shown as "cannot be judged" (F / 6).
      code: `${reliability ?? 'F'}${credibility ?? 6}`,
      ...(doc.credibility ? { rationale: doc.credibility.rationale } : {}),
      ...(chain ? { chain: { reliability: chain, code: `${chain}${credibility ?? 6}` } } : {}),
    },
    ...(r.quantities ? { quantities: r.quantities } : {}),
    details: detailsOf(r),
    codes: r.codes,
    corroborations: doc.corroborations.length,
    disputes: doc.disputes.length,
    corroboratedBy: doc.corroborations.map((c) => ({ ...c, name: names.source(c.sourceId)?.name ?? null })),
    disputedBy: doc.disputes.map((d) => ({
      ...d,
      name: d.byActorId ? names.actor(d.byActorId) : (names.source(d.bySourceId!)?.name ?? null),
    })),
    disputed: disputedParts(doc),
    counters: doc.counters,
    counteredBy: doc.counteredBy,
    links: doc.links,
    corrections: doc.corrections,
    retracted: doc.retraction !== null,
    ...(doc.retraction ? { retraction: doc.retraction } : {}),
    recordedAt: doc.recordedAt,
    updatedAt: doc.updatedAt,
    revision: doc.revision,
    position: doc.position,
  };
}

export type TimelineItem = ReturnType<typeof presentEntry>;
