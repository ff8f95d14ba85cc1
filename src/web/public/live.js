/**
 * Follows a live feed with EventSource, which resumes with Last-Event-ID by itself after a
 * disconnect. When reads need a key, the session cookie goes with it as with any request of this
 * origin (the page holds no key to send as a header).
 */
export function follow(url, onMessage, onState) {
  const source = new EventSource(url);
  source.addEventListener('open', () => onState('live'));
  source.addEventListener('error', () =>
    onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'),
  );
  for (const type of ['entry.added', 'entry.updated'])
    source.addEventListener(type, (e) => onMessage(type, JSON.parse(e.data), e.lastEventId));
  return () => source.close();
}
