import { SingleBar } from 'cli-progress';

/** Where the command line writes: results on `out` (stdout), messages and progress on `err` (stderr). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Resolves once `out` can take more (a real stdout under backpressure); absent in tests. */
  drain?(): Promise<void>;
  /** Whether stderr is a terminal: progress bars are drawn only then. */
  readonly tty?: boolean;
  /** The stream progress bars draw on (stderr). */
  readonly progressStream?: NodeJS.WritableStream;
}

/** The process's own stdout and stderr. */
export function processIo(): Io {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    drain: () =>
      process.stdout.writableNeedDrain
        ? new Promise((resolve) => process.stdout.once('drain', () => resolve()))
        : Promise.resolve(),
    tty: process.stderr.isTTY === true,
    progressStream: process.stderr,
  };
}

/** A progress bar on stderr when it is a terminal; nothing at all otherwise. */
export interface Progress {
  update(value: number, total?: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

export function progress(io: Io, label: string, total: number, unit: string): Progress {
  if (!io.tty || !io.progressStream) return NONE;
  const known = total > 0;
  const bar = new SingleBar({
    format: known
      ? `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted} | eta {eta_formatted}`
      : `${label} {value} ${unit} | {duration_formatted}`,
    stream: io.progressStream,
    // Byte counts in MB: "12.3/32.6 MB".
    ...(unit === 'MB'
      ? {
          formatValue: (v: number, _o: unknown, type: string) =>
            type === 'value' || type === 'total' ? (v / 1e6).toFixed(1) : String(v),
        }
      : {}),
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
    fps: 10,
  });
  bar.start(known ? total : 0, 0);
  // Callers report every chunk: the bar is told at most every 100 ms (it costs more than a chunk).
  let last = 0;
  let latest = 0;
  return {
    update: (value, newTotal) => {
      latest = value;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      if (newTotal !== undefined && newTotal !== bar.getTotal()) bar.setTotal(newTotal);
      bar.update(value);
    },
    stop: () => {
      bar.update(latest);
      bar.stop();
    },
  };
}

/** Prints one JSON document on stdout (the --json result). */
export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
