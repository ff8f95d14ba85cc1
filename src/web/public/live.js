import { authHeaders, currentKey } from './api.js';

/**
 * Follows a live feed. Without a key, EventSource (which resumes with Last-Event-ID by itself);
 * with one, a streamed fetch that sends the key as a header and Last-Event-ID on each reconnect,
 * since EventSource cannot send headers.
 */
export function follow(url, onMessage, onState) {
  if (!currentKey()) {
    const source = new EventSource(url);
    source.addEventListener('open', () => onState('live'));
    source.addEventListener('error', () =>
      onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'),
    );
    for (const type of ['entry.added', 'entry.updated'])
      source.addEventListener(type, (e) => onMessage(type, JSON.parse(e.data), e.lastEventId));
    return () => source.close();
  }
  const controller = new AbortController();
  let lastId = null;
  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const headers = { accept: 'text/event-stream', ...authHeaders() };
        if (lastId) headers['last-event-id'] = lastId;
        const response = await fetch(url, { headers, signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(String(response.status));
        onState('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const message = { id: null, event: 'message', data: [] };
            for (const line of block.split('\n')) {
              const colon = line.indexOf(':');
              if (colon === 0) continue;
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'id') message.id = value;
              else if (field === 'event') message.event = value;
              else if (field === 'data') message.data.push(value);
            }
            if (message.id) lastId = message.id;
            if (message.data.length && (message.event === 'entry.added' || message.event === 'entry.updated'))
              onMessage(message.event, JSON.parse(message.data.join('\n')), message.id);
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  };
  void run();
  return () => controller.abort();
}
