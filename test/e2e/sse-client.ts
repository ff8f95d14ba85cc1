/** A minimal text/event-stream reader over fetch, so tests control exactly when they disconnect. */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  retry: number | null = null;
  ended = false;
  private buffer = '';
  private lastId: string | undefined;
  private readonly abort = new AbortController();
  private readonly pump: Promise<void>;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    body: ReadableStream<Uint8Array> | null,
  ) {
    this.pump = this.read(body);
  }

  static async open(
    url: string,
    options: { lastEventId?: string; headers?: Record<string, string> } = {},
  ): Promise<SseReader> {
    const controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const response = await fetch(url, { headers, signal: controller.signal });
    const reader = new SseReader(response.status, response.headers, response.body);
    reader.abort.signal.addEventListener('abort', () => controller.abort());
    return reader;
  }

  get lastEventId(): string | undefined {
    return this.lastId;
  }

  /** Waits until `predicate` holds over the messages received so far. */
  async waitFor(predicate: (messages: SseMessage[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (this.ended) throw new Error(`stream ended after ${this.messages.length} messages`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${this.messages.length} messages`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.pump.catch(() => undefined);
  }

  private async read(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (!body) return;
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        this.parse();
      }
    } catch {
      // aborted or reset
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private parse(): void {
    let cut: number;
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
      }
      if (data.length > 0) {
        if (id !== undefined) this.lastId = id;
        this.messages.push({ id, event, data: data.join('\n') });
      }
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
