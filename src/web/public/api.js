// Reads from this origin. A key, when reads need one, lives in this module's memory only: never in
// storage, a cookie or a URL.
let key = null;
let askKey = null;

/** `ask(failedBefore)` resolves to a key typed by the user; called when a read answers 401. */
export function onKeyNeeded(ask) {
  askKey = ask;
}

export function currentKey() {
  return key;
}

export function authHeaders() {
  return key ? { authorization: `Bearer ${key}` } : {};
}

export async function getJson(path) {
  let asked = false;
  for (;;) {
    const response = await fetch(path, { headers: { accept: 'application/json', ...authHeaders() } });
    if (response.status === 401 && askKey) {
      key = await askKey(asked);
      asked = true;
      continue;
    }
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || detail;
      } catch {
        // not a problem document
      }
      throw new Error(`${response.status}: ${detail}`);
    }
    return response.json();
  }
}

/** Every page of a timeline read (up to `cap` entries), and the position the first page reflects. */
export async function timeline(filters, cap = 2000) {
  const items = [];
  let cursor = null;
  let position = null;
  do {
    const query = new URLSearchParams(filters);
    query.set('limit', '200');
    if (cursor) query.set('cursor', cursor);
    const page = await getJson(`/v1/timeline?${query}`);
    if (position === null) position = page.position;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < cap);
  return { items, position, truncated: Boolean(cursor) };
}

/** Every item of a paged list route (actors, crises), up to `cap`. */
export async function all(path, cap = 1000) {
  const items = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '200' });
    if (cursor) query.set('cursor', cursor);
    const page = await getJson(`${path}?${query}`);
    items.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor && items.length < cap);
  return items;
}
