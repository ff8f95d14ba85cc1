// A live-feed reader in its own process, as a real client would be: it reads as fast as it can
// and, once it has `count` messages, prints their ids (one per line) and the delivery lag figures.
const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
const ids = [];
let buffer = '';
const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
const reader = response.body.getReader();
const decoder = new TextDecoder();
process.stdout.write('ready\n');
while (ids.length < count) {
  const { done, value } = await reader.read();
  if (done) break;
  buffer += decoder.decode(value, { stream: true });
  const blocks = buffer.split('\n\n');
  buffer = blocks.pop();
  for (const block of blocks) {
    const id = block.split('\n').find((l) => l.startsWith('id: '));
    if (id) ids.push(id.slice(4));
  }
}
if (ids.length < count)
  process.stderr.write(
    `follower: stream ended after ${ids.length}; tail ${JSON.stringify(buffer.slice(-300))}\n`,
  );
await reader.cancel().catch(() => undefined);
// Pipes are written asynchronously: exit only once the whole line is out.
process.stdout.write(`ids ${ids.join(',')}\n`, () => process.exit(0));
