import { REGISTRY, reportBase } from '../fixtures/chronology.fixtures';
import { TestApp } from './harness';

describe('read-your-writes with minPosition', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ READ_WAIT_TIMEOUT_MS: '300' });
    for (const e of REGISTRY) await t.append(e.type, e.data);
  });
  afterAll(() => t.close());

  it('a read with the position a POST returned sees that write', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await t.append('StatementMade', reportBase(1 + (i % 28), { summary: `write ${i}` }));
      const entry = await t.get(`/v1/entries/${res.entryId}?minPosition=${res.position}`);
      expect(entry.status).toBe(200);
      expect(entry.body.summary).toBe(`write ${i}`);
    }
  });

  it('a position this instance has not reached answers 503 with Retry-After after a bounded wait', async () => {
    const started = Date.now();
    const res = await t.get('/v1/timeline?minPosition=999999999');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('not_caught_up');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('a malformed position is a 400', async () => {
    const res = await t.get('/v1/actors?minPosition=yesterday');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'minPosition', message: expect.stringMatching(/position/) }]);
  });
});
