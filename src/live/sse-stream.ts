import type { ServerResponse } from 'node:http';

/** One Server-Sent Events message: `id` is always a log position. */
export interface FeedMessage {
  readonly id: string;
  readonly event: string;
  readonly data: string;
}

export function encodeMessage(m: FeedMessage): string {
  return `id: ${m.id}\nevent: ${m.event}\ndata: ${m.data}\n\n`;
}

/**
 * A text/event-stream response. Live writes never wait and never pass the bound: a reader that
 * is behind gets nothing more live (the hub moves it back to reading the log at its own pace),
 * so a stalled client cannot grow the server's memory.
 */
export class SseStream {
  private ended = false;
  /** performance.now() of the last write: a stream that carries messages needs no heartbeat. */
  private lastWriteAt = performance.now();
  private readonly closeListeners: Array<(reason: string) => void> = [];

  constructor(
    private readonly raw: ServerResponse,
    private readonly maxBufferBytes: number,
  ) {
    raw.on('close', () => this.finish('client closed'));
  }

  open(retryMs: number): void {
    // The body ends when the connection does (an event stream has no other end), so it is sent
    // without chunked framing: with 1,000 subscribers each live batch is 1,000 socket writes, and
    // plain writes cost about a quarter less CPU than chunked ones (cork, three buffers, writev).
    this.raw.useChunkedEncodingByDefault = false;
    this.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'close',
      'x-accel-buffering': 'no',
    });
    this.raw.write(`retry: ${retryMs}\n: connected\n\n`);
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Bytes written but not yet taken by the socket. */
  get buffered(): number {
    return this.raw.writableLength;
  }

  /** Catch-up writes: the caller waits for `drained` between bounded batches. */
  write(text: string): void {
    if (!this.ended) this.send(text);
  }

  /**
   * Live writes: refused (false) when the reader has not taken what it was already sent past the
   * bound. The check comes before the write, so a subscriber holds at most the bound plus one batch.
   * `now`: the fan-out's own clock reading, so 1,000 writes do not read the clock 1,000 times.
   */
  writeLive(text: string | Buffer, now = performance.now()): boolean {
    if (this.ended || this.raw.writableLength > this.maxBufferBytes) return false;
    this.send(text, now);
    return true;
  }

  /**
   * Once the head is out, the body goes to the socket itself: the response adds nothing to an
   * unframed body, and its write corks the socket and uncorks it on the next tick, which for a
   * fan-out means 1,000 deferred flushes instead of writes that leave at once.
   */
  private send(data: string | Buffer, now = performance.now()): void {
    const socket = this.raw.socket;
    if (socket && !socket.destroyed) {
      socket.write(data);
      this.lastWriteAt = now;
    }
  }

  comment(text: string, now = performance.now()): void {
    this.writeLive(`: ${text}\n\n`, now);
  }

  /** Milliseconds since anything was last written to the stream. */
  idleMs(now = performance.now()): number {
    return now - this.lastWriteAt;
  }

  /**
   * Resolves true once the socket can take more (no refused write pending); false on close, or
   * when the reader took nothing at all for `stallMs` (a slow reader that still reads is waited for).
   */
  drained(stallMs: number): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    const socket = this.raw.socket;
    // 'drain' only follows a write that returned false; below the high-water mark there is none to wait for.
    if (!socket?.writableNeedDrain) return Promise.resolve(true);
    return new Promise((resolve) => {
      let unsent = this.raw.writableLength;
      let lastProgress = Date.now();
      const done = (ok: boolean): void => {
        clearInterval(watch);
        socket.off('drain', onDrain);
        this.raw.off('close', onClose);
        resolve(ok);
      };
      const onDrain = (): void => done(true);
      const onClose = (): void => done(false);
      const watch = setInterval(
        () => {
          const now = this.raw.writableLength;
          if (now < unsent) lastProgress = Date.now();
          unsent = now;
          if (Date.now() - lastProgress >= stallMs) done(false);
        },
        Math.min(250, stallMs),
      );
      socket.on('drain', onDrain);
      this.raw.on('close', onClose);
    });
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  close(reason: string): void {
    if (this.ended) return;
    this.finish(reason);
    // A slow reader's socket is destroyed: ending would wait for it to read everything first.
    if (this.raw.writableLength > 0) this.raw.destroy();
    else this.raw.end();
  }

  private finish(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const l of this.closeListeners) l(reason);
  }
}
