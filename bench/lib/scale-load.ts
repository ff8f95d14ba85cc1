import { GetClient, HealthProbe, itemsOf, type GetResult } from './scale-http';
import type { Route, RouteKind } from './scale-routes';
import type { ServerProcess } from './server';
import { nowMs, summarize, type Summary } from './stats';

/**
 * Load on the read routes: N clients in a closed loop (each sends its next request when its
 * previous answer is in), with /health probed every 50 ms alongside and the server's event-loop
 * delay read from /metrics just before and at the end (prom-client resets its histogram at each
 * scrape, so the second scrape covers exactly the measured requests).
 */

export interface LoadOptions {
  readonly clients: number;
  /** Measured requests per route. */
  readonly requests: number;
  /** Requests per route before measuring (not recorded). */
  readonly warmup: number;
}

export type LoopDelay = { p50: number; p99: number; max: number } | null;

export interface RouteResult {
  readonly name: string;
  readonly kind: RouteKind;
  readonly example: string;
  readonly latency: Summary;
  readonly meanItems: number;
  /** Requests answered per second, all clients together. */
  readonly perSec: number;
  /** Answers other than 200 (and requests that got no answer). */
  readonly errors: number;
  readonly firstError: string | null;
  /** /health latency while this route was under load, and its answers other than 200. */
  readonly health: Summary;
  readonly healthErrors: number;
  /** The server's event-loop delay (ms) while this route was under load, from /metrics. */
  readonly loopDelayMs: LoopDelay;
}

class Tally {
  readonly latencies: number[] = [];
  items = 0;
  errors = 0;
  firstError: string | null = null;

  add(r: GetResult, path: string): void {
    if (r.status === 200) {
      this.latencies.push(r.ms);
      this.items += itemsOf(r.body);
      return;
    }
    this.errors += 1;
    this.firstError ??= `GET ${path} answered ${r.status || 'nothing'}: ${r.text.slice(0, 300)}`;
  }
}

/** `clients` workers sharing one counter of `count` requests; `pathOf(k)` says what request k asks. */
async function closedLoop(
  client: GetClient,
  clients: number,
  more: (k: number) => boolean,
  pathOf: (k: number) => string,
  onResult: (r: GetResult, path: string, k: number) => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (more(next)) {
      const k = next++;
      const path = pathOf(k);
      onResult(await client.get(path), path, k);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
}

async function loopDelay(server: ServerProcess, key: string): Promise<LoopDelay> {
  return (await server.metrics(key)).eventLoopDelayMs;
}

/** One route: warm-up, then `requests` measured with the health probe and loop-delay scrapes. */
export async function measureRoute(
  server: ServerProcess,
  client: GetClient,
  key: string,
  route: Route,
  o: LoadOptions,
): Promise<RouteResult> {
  const pathOf = (k: number): string => route.paths[k % route.paths.length]!;
  await closedLoop(
    client,
    o.clients,
    (k) => k < o.warmup,
    pathOf,
    () => undefined,
  );
  const tally = new Tally();
  await loopDelay(server, key); // resets the server's histogram
  const probe = new HealthProbe(server.url, key);
  const t0 = nowMs();
  await closedLoop(
    client,
    o.clients,
    (k) => k < o.requests,
    pathOf,
    (r, path) => tally.add(r, path),
  );
  const seconds = (nowMs() - t0) / 1000;
  const health = await probe.stop();
  const delay = await loopDelay(server, key);
  return {
    name: route.name,
    kind: route.kind,
    example: route.paths[0]!,
    latency: summarize(tally.latencies),
    meanItems: tally.latencies.length > 0 ? tally.items / tally.latencies.length : 0,
    perSec: o.requests / seconds,
    errors: tally.errors,
    firstError: tally.firstError,
    health: health.latency,
    healthErrors: health.errors,
    loopDelayMs: delay,
  };
}

export interface HeavyResult {
  readonly seconds: number;
  readonly clients: number;
  readonly routes: Array<{ name: string; latency: Summary; errors: number }>;
  readonly errors: number;
  readonly firstError: string | null;
  readonly health: Summary;
  readonly healthErrors: number;
  readonly loopDelayMs: LoopDelay;
}

/** The heaviest routes in turn, from all clients at once, for `seconds`; /health probed meanwhile. */
export async function heavyPhase(
  server: ServerProcess,
  client: GetClient,
  key: string,
  routes: readonly Route[],
  clients: number,
  seconds: number,
): Promise<HeavyResult> {
  const tallies = routes.map(() => new Tally());
  const pathOf = (k: number): string => {
    const route = routes[k % routes.length]!;
    return route.paths[Math.floor(k / routes.length) % route.paths.length]!;
  };
  await loopDelay(server, key);
  const probe = new HealthProbe(server.url, key);
  const t0 = nowMs();
  const deadline = t0 + seconds * 1000;
  await closedLoop(
    client,
    clients,
    () => nowMs() < deadline,
    pathOf,
    (r, path, k) => tallies[k % routes.length]!.add(r, path),
  );
  const elapsed = (nowMs() - t0) / 1000;
  const health = await probe.stop();
  const delay = await loopDelay(server, key);
  return {
    seconds: elapsed,
    clients,
    routes: routes.map((r, i) => ({
      name: r.name,
      latency: summarize(tallies[i]!.latencies),
      errors: tallies[i]!.errors,
    })),
    errors: tallies.reduce((s, t) => s + t.errors, 0),
    firstError: tallies.find((t) => t.firstError)?.firstError ?? null,
    health: health.latency,
    healthErrors: health.errors,
    loopDelayMs: delay,
  };
}

export interface VerifyResult {
  readonly ms: number;
  readonly treeSize: number;
  readonly eventsPerSec: number;
}

/** GET /v1/audit/verify: the server re-reads the whole log and recomputes the Merkle root. */
export async function verifyRun(server: ServerProcess, key: string): Promise<VerifyResult> {
  const client = new GetClient(server.url, key, 1, 1_800_000);
  try {
    const r = await client.get('/v1/audit/verify');
    if (r.status !== 200)
      throw new Error(`GET /v1/audit/verify answered ${r.status}: ${r.text.slice(0, 300)}`);
    const treeSize = Number(r.body?.treeSize);
    return { ms: r.ms, treeSize, eventsPerSec: (treeSize / r.ms) * 1000 };
  } finally {
    client.close();
  }
}
