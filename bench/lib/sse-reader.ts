// SSE subscribers in their own process (never the server's): argv = url, connections, key.
// It opens the connections, says 'ready', records when each message id arrives on each connection
// and, on 'collect' with the POST send times, answers the per-(event, subscriber) delivery latencies.
import http from 'node:http';
import type { CollectRequest, ReaderReply } from './sse';
import { nowMs } from './stats';

const [url, connectionsArg, key] = process.argv.slice(2);
const connections = Number(connectionsArg);
const arrivals = new Map<string, number[]>();
const problems: string[] = [];
const send = (m: ReaderReply): boolean => process.send!(m);
let cpuAtStart = process.cpuUsage();
let startedAt = nowMs();

function subscribe(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url!,
      { agent: false, headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET ${url} answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        let carry = '';
        let connected = false;
        res.on('data', (chunk: string) => {
          const t = nowMs();
          const text = carry + chunk;
          let start = 0;
          for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            // Only whole lines; data is one JSON line, so a line starting "id: " is always an id.
            if (text.startsWith('id: ', start)) {
              const id = text.slice(start + 4, nl);
              const list = arrivals.get(id);
              if (list) list.push(t);
              else arrivals.set(id, [t]);
            } else if (!connected && text.startsWith(': connected', start)) {
              connected = true;
              resolve();
            }
            start = nl + 1;
          }
          carry = text.slice(start);
        });
        res.on('end', () => problems.push('a stream ended'));
        res.on('error', (e) => problems.push(`stream error: ${e.message}`));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer to GET within 30 s')));
    req.on('error', reject);
    req.on('response', () => req.setTimeout(0));
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
    send({ type: 'result', latencies, missing, problems: problems.slice(0, 10), cpuPercent });
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
