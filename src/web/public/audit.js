import { getJson } from './api.js';
import { el, instantLabel } from './dom.js';

// The audit panel: the latest signed checkpoint of the log (its tree size, root hash, when it was
// signed and the signed note itself), whether the service's own verification of the log holds
// (`checks.audit` of /health), and where the verifier key is, so that anyone can check offline.

const VERIFY_STATES = {
  ok: 'The log verifies against its signed checkpoints.',
  pending: 'Not verified yet since the service started.',
  failed: 'The log does NOT verify.',
  'history-missing': 'The checkpoint history is missing: the log cannot be judged.',
};

function row(term, ...value) {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

function checkpointPart(checkpoint) {
  return [
    el('h3', {}, 'Latest signed checkpoint'),
    el(
      'dl',
      { class: 'audit-facts' },
      row('Tree size', el('span', { id: 'audit-size' }, String(checkpoint.size)), ' events'),
      row('Root hash', el('code', { id: 'audit-root' }, checkpoint.rootHash)),
      row(
        'Signed at',
        el(
          'time',
          { id: 'audit-signed-at', datetime: checkpoint.signedAt },
          instantLabel(checkpoint.signedAt),
        ),
      ),
    ),
    el(
      'details',
      {},
      el('summary', {}, 'The signed note'),
      el('pre', { id: 'audit-note', class: 'audit-note' }, checkpoint.note),
    ),
  ];
}

function verifyPart(audit) {
  if (!audit) return [el('h3', {}, 'Verification'), el('p', {}, 'The service reports no audit check.')];
  const facts = [
    row('State', el('span', { id: 'audit-state', class: `audit-${audit.state}` }, audit.state)),
    audit.checkedAt ? row('Last checked', instantLabel(audit.checkedAt)) : null,
    audit.scope
      ? row('Scope', audit.scope === 'full' ? 'every event again' : 'signed roots and events since the last')
      : null,
    typeof audit.checked === 'number' ? row('Events checked', String(audit.checked)) : null,
    audit.failedAt ? row('First bad position', audit.failedAt) : null,
    audit.problem ? row('Problem', audit.problem) : null,
    audit.nextFullCheckAt ? row('Next full check', instantLabel(audit.nextFullCheckAt)) : null,
  ];
  return [
    el('h3', {}, 'Verification'),
    el('p', { id: 'audit-verdict' }, VERIFY_STATES[audit.state] ?? audit.state),
    el('dl', { class: 'audit-facts' }, facts.filter(Boolean).flat()),
  ];
}

async function load(body) {
  body.setAttribute('aria-busy', 'true');
  const [checkpoint, health] = await Promise.allSettled([
    getJson('/v1/audit/checkpoint'),
    getJson('/health'),
  ]);
  const parts = [
    ...(checkpoint.status === 'fulfilled'
      ? checkpointPart(checkpoint.value)
      : [
          el('h3', {}, 'Latest signed checkpoint'),
          el('p', {}, `Not available: ${checkpoint.reason.message}`),
        ]),
    ...(health.status === 'fulfilled'
      ? verifyPart(health.value.checks?.audit)
      : [el('h3', {}, 'Verification'), el('p', {}, `Not available: ${health.reason.message}`)]),
    el(
      'p',
      {},
      el('a', { href: '/v1/audit/public-key', id: 'audit-public-key' }, 'The verifier (public) key'),
      ': with it, the log export and this note, the chronology verify command checks the log offline.',
    ),
  ];
  body.replaceChildren(...parts);
  body.setAttribute('aria-busy', 'false');
  body.dataset.loaded = 'true';
}

/** Reads the panel when it is opened, and again on "Refresh". */
function start() {
  const panel = document.getElementById('audit-panel');
  const body = document.getElementById('audit');
  if (!panel || !body) return;
  const refresh = el('button', { type: 'button', id: 'audit-refresh' }, 'Refresh');
  const content = el('div', { id: 'audit-body', role: 'region', 'aria-label': 'Audit log' });
  body.replaceChildren(content, refresh);
  const read = () => {
    delete content.dataset.loaded;
    load(content).catch((e) => content.replaceChildren(el('p', { class: 'error' }, e.message)));
  };
  refresh.addEventListener('click', read);
  panel.addEventListener('toggle', () => {
    if (panel.open) read();
  });
  if (panel.open) read();
}

start();
