import type { ServerProcess } from './server';
import { nowMs, summarize, type Summary } from './stats';

export interface TimedGet {
  readonly status: number;
  readonly ms: number;
  readonly body: any;
}

/** One GET with the bearer key, timed from just before the request to the whole parsed answer. */
export async function timedGet(url: string, key: string, timeoutMs = 120_000): Promise<TimedGet> {
  const t0 = nowMs();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${key}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const ms = nowMs() - t0;
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, ms, body };
}

async function ok(url: string, key: string, timeoutMs?: number): Promise<TimedGet> {
  const r = await timedGet(url, key, timeoutMs);
  if (r.status !== 200) {
    const detail = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    throw new Error(`GET ${url} answered ${r.status}: ${detail.slice(0, 300)}`);
  }
  return r;
}

export interface TimelineResult {
  readonly latency: Summary;
  readonly requests: number;
  /** Mean number of items per page (a page of 50 unless the filter matches fewer). */
  readonly meanItems: number;
  readonly example: string;
}

/** Filtered timeline pages of 50 (actor and a one-month window), one request at a time. */
export async function timelineRun(
  server: ServerProcess,
  key: string,
  actors: readonly string[],
  year: number,
  requests: number,
  warmup = 20,
): Promise<TimelineResult> {
  const urls = Array.from({ length: warmup + requests }, (_, i) => {
    const actor = actors[(i * 7) % actors.length]!;
    const month = (i % 12) + 1;
    const from = `${year}-${String(month).padStart(2, '0')}-01`;
    const to = month === 12 ? `${year}-12-31` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
    return `${server.url}/v1/timeline?actor=${actor}&from=${from}&to=${to}&limit=50`;
  });
  const latencies: number[] = [];
  let items = 0;
  for (const [i, url] of urls.entries()) {
    const r = await ok(url, key);
    if (i < warmup) continue;
    latencies.push(r.ms);
    items += Array.isArray(r.body.items) ? r.body.items.length : 0;
  }
  return {
    latency: summarize(latencies),
    requests,
    meanItems: items / requests,
    example: urls[warmup]!.slice(server.url.length),
  };
}

export interface AsOfRead {
  readonly position: string;
  readonly recordedAt: string;
  readonly atPositionMs: number;
  readonly asOfMs: number;
  readonly items: number;
}

/** Timeline pages of 50 as of earlier moments: by log position and by instant (recordedAt). */
export async function asOfRun(
  server: ServerProcess,
  key: string,
  points: ReadonlyArray<{ position: string; recordedAt: string }>,
): Promise<AsOfRead[]> {
  await ok(`${server.url}/v1/timeline?atPosition=1&limit=50`, key); // warm-up
  const out: AsOfRead[] = [];
  for (const p of points) {
    const a = await ok(`${server.url}/v1/timeline?atPosition=${p.position}&limit=50`, key);
    const b = await ok(`${server.url}/v1/timeline?asOf=${encodeURIComponent(p.recordedAt)}&limit=50`, key);
    out.push({
      position: p.position,
      recordedAt: p.recordedAt,
      atPositionMs: a.ms,
      asOfMs: b.ms,
      items: Array.isArray(a.body.items) ? a.body.items.length : 0,
    });
  }
  return out;
}

export interface VerifyResult {
  readonly ms: number;
  readonly treeSize: number;
  readonly eventsPerSec: number;
  readonly report: unknown;
}

/** GET /v1/audit/verify: the server re-reads the whole log and recomputes the Merkle root. */
export async function verifyRun(server: ServerProcess, key: string): Promise<VerifyResult> {
  const r = await ok(`${server.url}/v1/audit/verify`, key, 600_000);
  const treeSize = Number(r.body.treeSize);
  return { ms: r.ms, treeSize, eventsPerSec: (treeSize / r.ms) * 1000, report: r.body };
}
