import type { TimelineItem } from '../projections/timeline/timeline.presenter';
import { claimantNames, gradeCode, JsonArrayPart, type ExportFormat } from './export-format';
import { timelineJsDates } from './timelinejs-date';

/** TimelineJS3 shows `text` as HTML: every value from the chronology is escaped. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const HEADLINE_MAX = 100;

/** A short headline: the summary's first sentence, cut at a word if long. */
export function headlineOf(summary: string): string {
  const sentence = /^(.+?[.!?])(?:\s|$)/.exec(summary)?.[1] ?? summary;
  if (sentence.length <= HEADLINE_MAX) return sentence;
  const cut = sentence.slice(0, HEADLINE_MAX);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : HEADLINE_MAX)}…`;
}

/** One TimelineJS3 event (slide) of an entry. */
export function timelineJsEvent(item: TimelineItem) {
  const facts = [
    `Claimed by ${claimantNames(item).join(', ') || 'no one named'}`,
    `source ${item.source.name ?? item.source.sourceId} (${gradeCode(item)})`,
    `status ${item.status}`,
  ].join('; ');
  return {
    ...timelineJsDates(item.occurred),
    text: {
      headline: escapeHtml(headlineOf(item.summary)),
      text: [
        `<p>${escapeHtml(item.summary)}</p>`,
        ...(item.quote ? [`<blockquote>${escapeHtml(item.quote)}</blockquote>`] : []),
        `<p>${escapeHtml(facts)}</p>`,
      ].join(''),
    },
    group: item.type,
    unique_id: item.entryId,
  };
}

export const TIMELINEJS: ExportFormat = {
  name: 'timelinejs',
  contentType: 'application/json',
  extension: 'timelinejs.json',
  description:
    'TimelineJS3 JSON ({ events: [...] }): one slide per entry, dates only as precise as reported, text as escaped HTML.',
  writer: () => {
    const events = new JsonArrayPart();
    return {
      head: () => '{"events":[',
      page: (items) => events.members(items.map(timelineJsEvent)),
      tail: () => '\n]}\n',
    };
  },
};
