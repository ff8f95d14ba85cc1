import type { PooledReaders } from '../projections/read-pool/readers';
import type { Scope } from '../projections/scope';
import type { TimelineItem } from '../projections/timeline/timeline.presenter';
import type { TimelineQueryDto } from '../projections/timeline/timeline-query.dto';
import { nextTurn } from '../shared/turn';

/**
 * The timeline's entries matching `query` as they stood in `scope` (a position pinned when the
 * export started), page by page through the timeline reader's own keyset pages: each page is one
 * short read (in a read worker when there is a pool), so no read transaction spans the export, and
 * memory holds one page. Between pages the loop gets a turn.
 */
export async function* exportPages(
  readers: PooledReaders,
  query: TimelineQueryDto,
  scope: Scope,
  pageSize: number,
): AsyncGenerator<TimelineItem[]> {
  let cursor: string | undefined;
  do {
    const page = await readers.timeline.page({ ...query, limit: pageSize, cursor }, scope);
    yield page.items;
    cursor = page.nextCursor ?? undefined;
    if (cursor) await nextTurn();
  } while (cursor);
}
