import type { ExpectedRevision } from '../event-store';
import { AppError } from '../shared/errors';
import type { ExpectedRevisionInput } from './dto/post-event.dto';

/**
 * The revision a write expects its stream at, from the body's `expectedRevision` and the
 * `If-Match` header (a quoted revision, `W/` tolerated, or `*` for "the stream exists"). Both may
 * be given only when they agree.
 */
export function expectedRevisionOf(
  body: ExpectedRevisionInput | undefined,
  ifMatch: string | undefined,
): ExpectedRevision | undefined {
  const fromBody = body === undefined ? undefined : typeof body === 'number' ? BigInt(body) : body;
  if (ifMatch === undefined) return fromBody;
  const m = /^\s*(?:W\/)?"?(\d{1,15}|\*)"?\s*$/.exec(ifMatch);
  if (!m)
    throw AppError.validation([
      { path: 'If-Match', message: 'If-Match must be a quoted revision number, e.g. "3"' },
    ]);
  const fromHeader: ExpectedRevision = m[1] === '*' ? 'stream_exists' : BigInt(m[1]!);
  if (fromBody !== undefined && fromBody !== fromHeader) {
    throw AppError.validation([{ path: 'If-Match', message: 'If-Match and expectedRevision disagree' }]);
  }
  return fromHeader;
}
