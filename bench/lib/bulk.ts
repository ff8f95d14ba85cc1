import { Client } from './http';
import { nowMs } from './stats';

export interface BulkResult {
  readonly events: number;
  readonly perRequest: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
}

/**
 * POST /v1/events/batch: `bodies` (each a POST /v1/events body) in requests of `perRequest` items,
 * one request at a time, each answered once its events are durable. Every item must be stored.
 */
export async function bulkRun(
  url: string,
  key: string,
  bodies: string[],
  perRequest: number,
): Promise<BulkResult> {
  const client = new Client(url, key, 1, 120_000);
  try {
    const t0 = nowMs();
    for (let i = 0; i < bodies.length; i += perRequest) {
      const chunk = bodies.slice(i, i + perRequest);
      const r = await client.post('/v1/events/batch', `{"items":[${chunk.join(',')}]}`);
      const answer = r.status === 200 ? (JSON.parse(r.text) as { stored: number }) : null;
      if (!answer || answer.stored !== chunk.length) {
        throw new Error(`POST /v1/events/batch answered ${r.status}: ${r.text.slice(0, 500)}`);
      }
    }
    const seconds = (nowMs() - t0) / 1000;
    return { events: bodies.length, perRequest, seconds, eventsPerSec: bodies.length / seconds };
  } finally {
    client.close();
  }
}
