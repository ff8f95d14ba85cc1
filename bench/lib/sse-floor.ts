// The delivery floor: about the least a durable server can do for append -> SSE delivery on this
// machine. A bare node:http process takes each POST body as an event (no validation, projections
// or auth), appends it to a file with one fdatasync per turn of the event loop (group commit, as
// the service's store does), answers its position, and writes what was committed since the last
// turn to every subscriber's socket as one Buffer with no chunked framing (as the service's fan-out does).
// The bench runs the same readers and pacing against it, so the service's delivery latency has a
// baseline from the same run on the same machine.
import { fdatasyncSync, openSync, writeSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

const log = openSync(join(process.env.DATA_DIR ?? '.', 'floor.log'), 'a');
const subscribers = new Set<http.ServerResponse>();
let position = 0;
let pending: Array<{ body: string; res: http.ServerResponse }> = [];

function subscribe(res: http.ServerResponse): void {
  res.useChunkedEncodingByDefault = false;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'close' });
  res.write('retry: 1000\n: connected\n\n');
  subscribers.add(res);
  res.on('close', () => subscribers.delete(res));
}

function commit(): void {
  const batch = pending;
  pending = [];
  writeSync(log, batch.map((p) => `${p.body}\n`).join(''));
  fdatasyncSync(log);
  let messages = '';
  for (const { body, res } of batch) {
    const id = String(++position);
    const answer = JSON.stringify({ position: id });
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
    messages += `id: ${id}\nevent: event.appended\ndata: {"position":"${id}","data":${body}}\n\n`;
  }
  const chunk = Buffer.from(messages);
  for (const s of subscribers) s.socket?.write(chunk); // straight to the socket, as the service does
}

function append(req: http.IncomingMessage, res: http.ServerResponse): void {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    if (pending.length === 0) setImmediate(commit);
    pending.push({ body: Buffer.concat(parts).toString(), res });
  });
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST') append(req, res);
  else if (req.url?.endsWith('/live')) subscribe(res);
  else {
    res.writeHead(req.url === '/health/ready' ? 200 : 404);
    res.end();
  }
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
