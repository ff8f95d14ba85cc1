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
      end: instant("Exclusive end: the next bucket's start."),
      count: int({ description: 'Entries whose occurred start falls in the bucket.', minimum: 1 }),
    }),
    {
      description:
        'Non-empty buckets only, in time order. The first may begin before `from`: an entry still happening at `from` counts in the bucket of its start.',
    },
  ),
});
