import { Client } from './http';
import { nowMs, summarize, type Summary } from './stats';

export interface AppendResult {
  readonly concurrency: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  readonly latency: Summary;
}

/** `events` POST /v1/events, one event each, from `concurrency` clients each waiting for its answer. */
export async function appendRun(
  url: string,
  key: string,
  concurrency: number,
  bodies: string[],
): Promise<AppendResult> {
  const client = new Client(url, key, concurrency);
  const latencies = new Float64Array(bodies.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const i = next++;
      const r = await client.append(bodies[i]!);
      latencies[i] = r.doneAt - r.sentAt;
    }
  };
  try {
    const t0 = nowMs();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (nowMs() - t0) / 1000;
    return {
      concurrency,
      events: bodies.length,
      seconds,
      eventsPerSec: bodies.length / seconds,
      latency: summarize(latencies),
    };
  } finally {
    client.close();
  }
}
