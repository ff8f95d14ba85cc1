import { openCheckpoint, parseVerifierKey } from '../../src/audit/checkpoint';
import { verifyConsistency, verifyInclusion } from '../../src/audit/merkle';
import { TestApp } from './harness';

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
/** The same proof with one bit flipped (hash `h`, bit `bit`). */
const flipped = (proof: Buffer[], h: number, bit: number): Buffer[] =>
  proof.map((p, i) => {
    if (i !== h) return p;
    const copy = Buffer.from(p);
    copy[bit >> 3]! ^= 1 << (bit & 7);
    return copy;
  });

describe('audit proofs over HTTP (sample chronology)', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let lines: any[];
  let publicKey: string;

  beforeAll(async () => {
    t = await TestApp.start({ LOAD_SAMPLE: 'true', AUDIT_CHECKPOINT_EVERY: '5' });
    await t.get(`/v1/timeline?minPosition=${await t.head()}`);
    publicKey = (await t.get('/v1/audit/public-key')).body.publicKey;
    lines = (await t.get('/v1/audit/log')).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  });
  afterAll(() => t.close());

  it('signs checkpoints that open with the published key and commit to the tree', async () => {
    const cp = (await t.get('/v1/audit/checkpoint')).body;
    const { checkpoint } = openCheckpoint(cp.note, parseVerifierKey(publicKey));
    expect(checkpoint.size).toBe(lines.length);
    expect(Buffer.from(checkpoint.rootHash).toString('base64')).toBe(cp.rootHash);
    expect(() =>
      openCheckpoint(cp.note.replace(`\n${cp.size}\n`, `\n${cp.size + 1}\n`), parseVerifierKey(publicKey)),
    ).toThrow();
  });

  it('gives an inclusion proof for every event that verifies; flipping any bit of it fails', async () => {
    for (const line of lines) {
      const res = await t.get(`/v1/audit/proof/${line.event.id}`);
      expect(res.status).toBe(200);
      const { leafIndex, treeSize, rootHash, proof, leafHash } = res.body;
      expect(leafIndex).toBe(line.leafIndex);
      expect(leafHash).toBe(line.leafHash);
      const path = (proof as string[]).map(b64);
      expect(verifyInclusion(b64(leafHash), leafIndex, treeSize, path, b64(rootHash))).toBe(true);
      for (let h = 0; h < path.length; h++) {
        for (const bit of [0, 77, 255]) {
          expect(
            verifyInclusion(b64(leafHash), leafIndex, treeSize, flipped(path, h, bit), b64(rootHash)),
          ).toBe(false);
        }
      }
      expect(verifyInclusion(b64(leafHash), (leafIndex + 1) % treeSize, treeSize, path, b64(rootHash))).toBe(
        false,
      );
    }
  });

  it('gives a consistency proof between every two signed checkpoints that verifies; flipping any bit fails', async () => {
    const sizes = ((await t.get('/v1/audit/checkpoints')).body.items as any[]).map((c) => c.size as number);
    expect(sizes.length).toBeGreaterThan(3);
    for (const from of sizes) {
      for (const to of sizes.filter((s) => s >= from)) {
        const res = await t.get(`/v1/audit/consistency?from=${from}&to=${to}`);
        expect(res.status).toBe(200);
        const proof = (res.body.proof as string[]).map(b64);
        const [r1, r2] = [b64(res.body.fromRoot), b64(res.body.toRoot)];
        expect(verifyConsistency(from, to, proof, r1, r2)).toBe(true);
        for (let h = 0; h < proof.length; h++) {
          expect(verifyConsistency(from, to, flipped(proof, h, (h * 37) % 256), r1, r2)).toBe(false);
        }
      }
    }
  });

  it('finds an event by its id in any case, as the write side does', async () => {
    const id = lines[lines.length - 1]!.event.id as string;
    const lower = await t.get(`/v1/audit/proof/${id.toLowerCase()}`);
    const upper = await t.get(`/v1/audit/proof/${id.toUpperCase()}`);
    expect([lower.status, upper.status]).toEqual([200, 200]);
    expect(upper.body.leafIndex).toBe(lower.body.leafIndex);
  });

  it('answers 404 for an unknown event and 400 for a bad tree size', async () => {
    expect((await t.get('/v1/audit/proof/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.get('/v1/audit/consistency?from=abc')).status).toBe(400);
  });
});
