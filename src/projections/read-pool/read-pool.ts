import { Logger } from '@nestjs/common';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { startModuleWorker } from '../../shared/module-worker';
import type { ReadRequest, ReadResponse, WorkerData } from './read-protocol';
import { createReaders, type JsonReaders, type PooledReaders, type ReaderName } from './readers';
import type { ReadDb } from '../projection';
import { cursorKey } from '../cursor';

interface Call {
  readonly request: ReadRequest;
  /** Takes the answer's JSON text. */
  readonly resolve: (json: string) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: Call | null;
  ready: boolean;
  /** Exited: takes no more reads, and is replaced. */
  dead: boolean;
}

/** Workers that die before answering `ready` this many times in a row: the queued reads fail. */
const MAX_START_FAILURES = 3;
/** How long stop() waits for a worker to close its connection before terminating it. */
const STOP_WAIT_MS = 5000;
/** Reads waiting beyond this answer 503 at once: a backlog only makes every read later. */
const MAX_WAITING = 512;

function rebuild(error: NonNullable<ReadResponse['error']>): Error {
  if (error.app) {
    const { code, message, extensions, headers } = error.app;
    return new AppError(code, message, extensions, headers);
  }
  const e = new Error(`read worker: ${error.message ?? 'failed'}`);
  if (error.stack) e.stack = `${e.message}\n--- in the read worker ---\n${error.stack}`;
  return e;
}

/**
 * Runs the read routes' queries in worker threads, each with a read-only connection of its own:
 * better-sqlite3 is synchronous, so a query on the loop holds appends, live feeds and /health for
 * as long as it runs. A worker takes one read at a time; the others wait in one FIFO queue. In WAL
 * mode the workers read while the projections write. A worker that dies fails its read (a 500)
 * and is replaced.
 */
export class ReadPool {
  private readonly logger = new Logger('ReadPool');
  private readonly slots: Slot[] = [];
  private readonly queue: Call[] = [];
  private nextId = 1;
  private startFailures = 0;
  private stopping = false;
  /** The readers as routes call them: each method call is one read in a worker. */
  readonly readers: PooledReaders;
  /** The same, answering in JSON text (parsed nowhere on the loop). */
  readonly json: JsonReaders;

  constructor(
    private readonly file: string,
    private readonly size: number,
  ) {
    const remotes = (parse: boolean) =>
      ({
        log: this.remote('log', parse),
        sources: this.remote('sources', parse),
        actors: this.remote('actors', parse),
        timeline: this.remote('timeline', parse),
        measures: this.remote('measures', parse),
        digests: this.remote('digests', parse),
      }) satisfies Record<ReaderName, object>;
    this.readers = remotes(true) as unknown as PooledReaders;
    this.json = remotes(false) as unknown as JsonReaders;
  }

  /** Readers that run on the loop, for READ_WORKERS=0. */
  static inline(db: ReadDb): PooledReaders {
    return createReaders(db);
  }

  /** Reads waiting for a worker (a gauge for /metrics and the bench). */
  get waiting(): number {
    return this.queue.length;
  }

  /** One read in a worker; resolves with the answer's JSON text. */
  call(reader: ReaderName, method: string, args: unknown[]): Promise<string> {
    if (this.stopping) return Promise.reject(new AppError('store_unavailable', 'the service is stopping'));
    if (this.queue.length >= MAX_WAITING) {
      const busy = `${this.queue.length} reads are waiting; try again shortly`;
      return Promise.reject(new AppError('overloaded', busy, {}, { 'Retry-After': '1' }));
    }
    // Workers start with the first read: a process that serves none (a CLI, most tests) pays nothing.
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, reader, method, args }, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Closes every worker's connection; reads still queued fail. Called once the HTTP server has
   * closed, so no read in flight is cut short.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const stopped = () => new AppError('store_unavailable', 'the service is stopping');
    for (const call of this.queue.splice(0)) call.reject(stopped());
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.busy?.reject(stopped());
        slot.busy = null;
        if (slot.dead) return;
        const exited = new Promise<void>((ok) => slot.worker.once('exit', () => ok()));
        // One still loading has opened nothing worth closing.
        if (!slot.ready) void slot.worker.terminate();
        else slot.worker.postMessage('stop');
        const timer = setTimeout(() => void slot.worker.terminate(), STOP_WAIT_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private remote(
    reader: ReaderName,
    parse: boolean,
  ): Record<string, (...args: unknown[]) => Promise<unknown>> {
    return new Proxy(
      {},
      {
        // `then` is not a method: a proxy that had one would be taken for a promise when awaited.
        get: (_target, method) =>
          method === 'then'
            ? undefined
            : async (...args: unknown[]) => {
                const json = await this.call(reader, String(method), args);
                return parse ? (JSON.parse(json) as unknown) : json;
              },
      },
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy || slot.dead) continue;
      const call = this.queue.shift()!;
      slot.busy = call;
      slot.worker.postMessage(call.request);
    }
  }

  private spawn(): Slot {
    const worker = startModuleWorker(__filename, 'read-worker', {
      file: this.file,
      // This process's, set at start (before the first read, which starts the workers).
      cursorKey: cursorKey(),
    } satisfies WorkerData);
    const slot: Slot = { worker, busy: null, ready: false, dead: false };
    worker.unref();
    worker.on('message', (m: ReadResponse | 'ready') => {
      if (m === 'ready') {
        slot.ready = true;
        this.startFailures = 0;
        return;
      }
      const call = slot.busy;
      slot.busy = null;
      if (call && call.request.id === m.id) {
        if (m.error) call.reject(rebuild(m.error));
        else call.resolve(m.json ?? 'null');
      }
      this.dispatch();
    });
    worker.on('error', (e) => this.logger.error(`a read worker failed: ${e.stack ?? e.message}`));
    worker.on('exit', (code) => {
      slot.dead = true;
      if (this.stopping) return;
      slot.busy?.reject(new Error(`the read worker running this read exited (${code})`));
      slot.busy = null;
      const replace = (): void => {
        if (this.stopping) return;
        this.slots[this.slots.indexOf(slot)] = this.spawn();
        this.dispatch();
      };
      if (!slot.ready && ++this.startFailures >= MAX_START_FAILURES) {
        this.logger.error(`read workers fail to start (${this.startFailures} in a row); retrying in 1 s`);
        for (const call of this.queue.splice(0)) call.reject(new Error('read workers fail to start'));
        setTimeout(replace, 1000).unref();
      } else replace();
    });
    return slot;
  }
}
