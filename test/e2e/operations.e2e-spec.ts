import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTRY } from '../fixtures/chronology.fixtures';
import { ADMIN_KEY } from './harness';
import { ServiceProcess } from './service-process';

/** What an operator reads: JSON logs, a line per request, and a word when asked to stop. */
describe('logs of a running service (separate process)', () => {
  let dir: string;
  let service: ServiceProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-ops-'));
    service = await ServiceProcess.start(dir, { LOG_LEVEL: 'log', LOG_FORMAT: 'json' });
  }, 90_000);
  afterAll(async () => {
    await service.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one JSON object per line, a line per request, and logs SIGTERM before stopping', async () => {
    const auth = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
    const posted = await fetch(`${service.url}/v1/events`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: REGISTRY[0]!.type, data: REGISTRY[0]!.data }),
    });
    expect(posted.status).toBe(201);
    expect((await fetch(`${service.url}/v1/nothing-here`)).status).toBe(404);
    const requestLines = () =>
      service.output
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { context?: string; message?: unknown })
        .filter((l) => l.context === 'HTTP');
    for (let i = 0; i < 100 && requestLines().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(service.output.includes(String.fromCharCode(27))).toBe(false); // no colour codes
    expect(requestLines().map((l) => l.message)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: expect.any(String),
          method: 'POST',
          url: '/v1/events',
          status: 201,
          principal: expect.stringMatching(/^key:/),
        }),
        expect.objectContaining({ method: 'GET', url: '/v1/nothing-here', status: 404 }),
      ]),
    );
    const code = await service.terminate();
    expect(service.output).toMatch(/received SIGTERM/);
    // Nest stops the app, then ends the process on the signal it received (as a shell expects).
    expect([0, 'SIGTERM']).toContain(code);
    expect(service.output).not.toMatch(/"level":"error"/);
  }, 60_000);
});
