// SSE subscribers in their own process (never the server's): argv = url, connections, key.
// It opens the connections, says 'ready', records when each message id arrives on each connection
// and, on each 'collect' with the POST send times of a run, answers that run's per-(event,
// subscriber) delivery latencies. The connections stay open for the next run until 'exit'.
import net from 'node:net';
import type { CollectRequest, ReaderReply } from './sse';
import { nowMs } from './stats';

const [url, connectionsArg, key] = process.argv.slice(2);
const connections = Number(connectionsArg);
const arrivals = new Map<string, number[]>();
const problems: string[] = [];
const send = (m: ReaderReply): boolean => process.send!(m);
let cpuAtStart = process.cpuUsage();
let startedAt = nowMs();

const target = new URL(url!);
const ID = Buffer.from('\nid: ');
const CONNECTED = Buffer.from(': connected');
const READ_BUFFER = Buffer.alloc(256 * 1024);

function record(id: string, t: number): void {
  const list = arrivals.get(id);
  if (list) list.push(t);
  else arrivals.set(id, [t]);
}

/**
 * One subscriber on a plain TCP socket: the request is written by hand and the body scanned as bytes
 * for "\nid: " lines. A subscriber costs the bench what it must (a read per message) and no more:
 * the readers share the server's cores, so an HTTP client's stream layers and UTF-8 decoding of
 * every message would be measured as the server's delivery latency.
 */
function subscribe(): Promise<void> {
  return new Promise((resolve, reject) => {
    // onread: the kernel's bytes land in one shared buffer and reach the callback directly, without
    // a Buffer per read and the stream's push/emit (the cheapest read Node has).
    const socket = net.connect({
      port: Number(target.port),
      host: target.hostname,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number): boolean => {
          onData(READ_BUFFER.subarray(0, n));
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer to GET within 30 s')));
    socket.on('connect', () => {
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n` +
          `accept: text/event-stream\r\nauthorization: Bearer ${key}\r\n\r\n`,
      );
    });
    // Bytes not yet scanned: the head until it is complete, then at most a partial line.
    let carry: Buffer | null = null;
    let connected = false;
    const onData = (chunk: Buffer): void => {
      const t = nowMs();
      let buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      carry = null;
      if (!connected) {
        const head = buf.indexOf('\r\n\r\n');
        if (head < 0 || buf.indexOf(CONNECTED, head) < 0) {
          carry = Buffer.from(buf); // a copy: the read buffer is reused
          return;
        }
        const status = buf.toString('latin1', 0, buf.indexOf('\r\n'));
        if (!/^HTTP\/1\.1 200 /.test(status)) {
          socket.destroy();
          reject(new Error(`GET ${url} answered ${status}`));
          return;
        }
        connected = true;
        socket.setTimeout(0);
        resolve();
        buf = buf.subarray(head + 3); // keeps the head's last newline: "\nid: " can match at the start
      }
      let at = buf.indexOf(ID);
      while (at >= 0) {
        const end = buf.indexOf(10, at + ID.length);
        if (end < 0) break;
        record(buf.toString('latin1', at + ID.length, end), t);
        at = buf.indexOf(ID, end);
      }
      // The next "\nid: " may straddle chunks: keep what follows the last newline, with it.
      const tail = at >= 0 ? at : buf.lastIndexOf(10);
      if (tail >= 0) carry = Buffer.from(buf.subarray(tail));
    };
    socket.on('end', () => {
      if (connected) problems.push('a stream ended');
      else reject(new Error(`GET ${url} ended before the stream: ${carry?.toString('latin1', 0, 200)}`));
    });
    socket.on('error', (e) => {
      if (connected) problems.push(`stream error: ${e.message}`);
      else reject(e);
    });
  });
}

async function main(): Promise<void> {
  let next = 0;
  // A few at a time: a thousand SYNs at once would overflow the listen backlog.
  const opener = async (): Promise<void> => {
    while (next < connections) {
      next++;
      await subscribe();
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, connections) }, opener));
  cpuAtStart = process.cpuUsage();
  startedAt = nowMs();
  send({ type: 'ready', connections });
}

function collect(request: CollectRequest): void {
  const deadline = Date.now() + request.waitMs;
  const complete = (): boolean =>
    Object.keys(request.sent).every((id) => (arrivals.get(id)?.length ?? 0) >= connections);
  const finish = (): void => {
    const latencies: number[] = [];
    let missing = 0;
    for (const [id, sentAt] of Object.entries(request.sent)) {
      const times = arrivals.get(id) ?? [];
      missing += Math.max(0, connections - times.length);
      for (const t of times) latencies.push(Math.round((t - sentAt) * 1000) / 1000);
    }
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / (nowMs() - startedAt)) * 100;
    send({ type: 'result', latencies, missing, problems: problems.splice(0).slice(0, 10), cpuPercent });
    // The next run on these connections starts from here.
    for (const id of Object.keys(request.sent)) arrivals.delete(id);
    cpuAtStart = process.cpuUsage();
    startedAt = nowMs();
  };
  const poll = (): void => {
    if (complete() || Date.now() >= deadline) finish();
    else setTimeout(poll, 50);
  };
  poll();
}

process.on('message', (m: CollectRequest | { type: 'exit' }) => {
  if (m.type === 'collect') collect(m);
  else process.exit(0);
});
process.on('disconnect', () => process.exit(0));
main().catch((e: unknown) => {
  send({ type: 'failed', error: (e as Error).message });
  process.exit(1);
});
