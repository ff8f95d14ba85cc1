import { csrfRefusal, openSession } from './session.js';

// Reads and posts to this origin. When the API asks for a key, the key typed is exchanged once for
// a session (session.js): a cookie no script can read, which the browser sends by itself from then
// on, with fetches and EventSource alike. The key is held nowhere: no variable, storage, readable
// cookie or URL.
let askKey = null;
// One sign-in at a time: requests refused meanwhile wait for it rather than ask again.
let signingIn = null;
// The CSRF check's refusal of a sign-in (session.js): no key can get past it, so requests that
// would ask for one fail with it instead, until the page is loaded again.
let signInBlocked = null;

/** `ask(failedBefore)` resolves to a key typed by the user; called when a read answers 401. */
export function onKeyNeeded(ask) {
  askKey = ask;
}

/** Asks for a key until one opens a session (`failedBefore`: a key was already refused). */
function signIn(failedBefore) {
  signingIn ??= (async () => {
    let refused = failedBefore;
    while (!(await openSession(await askKey(refused)))) refused = true;
  })()
    .catch((error) => {
      if (error.problem) signInBlocked = error;
      throw error;
    })
    .finally(() => {
      signingIn = null;
    });
  return signingIn;
}

async function problemDetail(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || response.statusText;
  } catch {
    return response.statusText; // not a problem document
  }
}

/**
 * A request that, when the API answers 401 (or 403 for `askOn403`: the session's key may not do
 * this), asks for a key, opens a session with it, then retries. A 403 of the CSRF check is not the
 * key's doing: it is thrown with its reason, not asked about.
 */
async function send(path, init, { askOn403 = false } = {}) {
  let asked = false;
  for (;;) {
    const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
    const keyRefused =
      response.status === 401 || (askOn403 && response.status === 403 && !(await csrfRefusal(response)));
    if (keyRefused && signInBlocked) throw signInBlocked;
    if (keyRefused && askKey) {
      await signIn(asked);
      asked = true;
      continue;
    }
    if (!response.ok) {
      const error = new Error(`${response.status}: ${await problemDetail(response.clone())}`);
      error.status = response.status;
      // The problem+json document itself, so that a form can name the fields it lists.
      error.problem = await response.json().catch(() => null);
      throw error;
    }
    return response.status === 204 ? null : response.json();
  }
}

export function getJson(path) {
  return send(path, {});
}

/** Posts JSON (a follow-up, for one): asks for a key with the right to write when refused. */
export function postJson(path, body) {
  return send(
    path,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    { askOn403: true },
  );
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
