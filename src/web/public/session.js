// The browser session: a key typed once is exchanged for an HttpOnly, SameSite=Strict cookie set by
// the API (POST /v1/session); the page never sees the cookie. The header says who is signed in and
// offers "Sign out", which ends the session (DELETE /v1/session) and reloads the page, so that what
// was read with the key is no longer shown.

const $ = (id) => document.getElementById(id);
// Counts what was shown, so that an older status answer arriving late does not undo a sign-in.
let shown = 0;

// The reasons of a 403 that refuses where the request came from (the CSRF check), not the key: no
// other key would do, so the page says why rather than asking again. Behind a proxy that does not
// pass the original Host, every request the page makes with its cookie meets this.
const CSRF_REASONS = new Set(['origin_mismatch', 'origin_missing', 'cross_site']);

/** The problem+json document of a 403 when it is the CSRF check's, else null. */
export async function csrfRefusal(response) {
  if (response.status !== 403) return null;
  const problem = await response
    .clone()
    .json()
    .catch(() => null);
  return problem && CSRF_REASONS.has(problem.reason) ? problem : null;
}

/**
 * Opens a session with `key` (sent in this one request's header only). Resolves true when the
 * session is set, false when the key was refused; anything else, a refusal by the CSRF check
 * included, is an error.
 */
export async function openSession(key) {
  const response = await fetch('/v1/session', {
    method: 'POST',
    headers: { accept: 'application/json', authorization: `Bearer ${key}` },
  });
  const csrf = await csrfRefusal(response);
  if (csrf) {
    const error = new Error(`403: ${csrf.detail || csrf.title}`);
    error.status = 403;
    error.problem = csrf;
    throw error;
  }
  if (response.status === 401 || response.status === 403) return false;
  if (!response.ok) throw new Error(`${response.status}: could not open a session`);
  show(await response.json());
  return true;
}

/** Asks whether this browser has a session (an answer that is never a 401), and shows it. */
async function showSession() {
  const before = shown;
  try {
    const response = await fetch('/v1/session', { headers: { accept: 'application/json' } });
    const session = response.ok ? await response.json() : null;
    if (session && shown === before) show(session);
  } catch {
    // Unreachable service: the reads say so; the control stays as it was.
  }
}

/** Shows who the session is, with the Sign out control, or nothing when there is none. */
function show(session) {
  const box = $('session');
  if (!box) return;
  shown += 1;
  $('session-who').textContent = session.active ? `Signed in as ${session.name} (${session.role})` : '';
  box.hidden = !session.active;
  document.body.dataset.session = session.active ? 'active' : 'none';
}

async function signOut() {
  const button = $('sign-out');
  button.disabled = true;
  try {
    const response = await fetch('/v1/session', { method: 'DELETE' });
    if (!response.ok) throw new Error(String(response.status));
    location.reload();
  } catch {
    button.disabled = false;
    $('session-who').textContent = 'Could not sign out: try again';
  }
}

// Module scripts run once the document is parsed: the header's control exists by now.
$('sign-out')?.addEventListener('click', () => void signOut());
void showSession();
