import { arr, instant, int, obj, position, str, type JsonSchema } from '../../http/openapi-schema';
import { BUCKET_UNITS } from './timeline.histogram';

/** The histogram's answer (OpenAPI), checked against real answers in test/e2e/histogram.e2e-spec.ts. */
export const HISTOGRAM_RESPONSE: JsonSchema = obj({
  position: position('The log position the counts were read at.'),
  bucket: str({ enum: [...BUCKET_UNITS], description: 'The unit used (the one chosen, for `auto`).' }),
  total: int({ description: 'Entries counted: the sum of the counts, as many as the timeline lists.' }),
  buckets: arr(
    obj({
      start: instant('First instant of the bucket (UTC midnight).'),
      // Not format date-time (RFC 3339 has four-digit years only): the end of a bucket in 9999.
      end: str({
        description:
          "Exclusive end: the next bucket's start, an ISO 8601 instant; past 9999 in the expanded form JavaScript writes and reads (`+010000-01-01T00:00:00.000Z`).",
        pattern: '^(\\d{4}|\\+\\d{6})-\\d\\d-\\d\\dT00:00:00\\.000Z$',
      }),
      count: int({ description: 'Entries whose occurred start falls in the bucket.', minimum: 1 }),
    }),
    {
      description:
        'Non-empty buckets only, in time order. The first may begin before `from`: an entry still happening at `from` counts in the bucket of its start.',
    },
  ),
});
