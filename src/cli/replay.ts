interface TimelineItem {
  readonly type: string;
  readonly status: string;
  readonly summary: string;
  readonly occurred: { readonly start: string; readonly precision: string; readonly startLocal?: string };
  readonly claimants: ReadonlyArray<{ readonly actorId: string }>;
  readonly source: { readonly sourceId: string } | null;
  readonly grade?: { readonly code: string | null };
}

interface TimelinePage {
  readonly items: TimelineItem[];
  readonly nextCursor: string | null;
  readonly position?: string | null;
}

/** An instant (ISO 8601 with a zone) or a log position ("42", "42-40"). */
export function untilParam(until: string): string {
  if (/^\d+(-\d+)?$/.test(until)) return `atPosition=${encodeURIComponent(until)}`;
  if (Number.isNaN(Date.parse(until)) || !/(Z|[+-]\d\d:?\d\d)$/i.test(until)) {
    throw new Error(`--until must be a log position or an ISO 8601 instant with a zone (got "${until}")`);
  }
  return `asOf=${encodeURIComponent(until)}`;
}

/** The timeline as the chronology showed it then (as-of reads: transaction time), one line per entry. */
export async function printTimeline(
  o: { until: string; url: string; crisis?: string },
  headers: Record<string, string>,
): Promise<string> {
  const base = `${o.url}/v1/timeline?limit=200&${untilParam(o.until)}${o.crisis ? `&crisis=${encodeURIComponent(o.crisis)}` : ''}`;
  const rows: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base, { headers });
    if (!res.ok) throw new Error(`GET /v1/timeline: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as TimelinePage;
    for (const i of page.items) {
      const when = (i.occurred.startLocal ?? i.occurred.start).slice(0, 16).replace('T', ' ');
      const who = i.claimants.map((c) => c.actorId).join(',');
      const source = i.source ? `${i.source.sourceId}${i.grade?.code ? ` ${i.grade.code}` : ''}` : '-';
      rows.push(
        `${when}  ${i.type.padEnd(26)} ${i.status.padEnd(12)} ${who.padEnd(28)} ${source.padEnd(16)} ${i.summary.slice(0, 90)}`,
      );
    }
    cursor = page.nextCursor;
  } while (cursor);
  return `timeline until ${o.until}: ${rows.length} entries\n${rows.join('\n')}\n`;
}
