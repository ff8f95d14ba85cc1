import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess } from './service-process';

/** The read routes run in worker threads; they must load wherever the service is started from. */
describe('read workers in a service process', () => {
  let dir: string;
  let service: ServiceProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-read-workers-'));
  });
  afterAll(async () => {
    await service?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answer reads when the service runs from another working directory', async () => {
    // cwd outside the checkout: nothing the workers load may be resolved from the working directory
    service = await ServiceProcess.start(join(dir, 'data'), { LOAD_SAMPLE: 'true' }, dir);
    const page = await fetch(`${service.url}/v1/timeline?limit=3&minPosition=1`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { items: unknown[] }).items).toHaveLength(3);
    const actors = await fetch(`${service.url}/v1/actors?limit=2`);
    expect(actors.status).toBe(200);
    expect(service.output).not.toMatch(/read worker/i);
  }, 90_000);
});
