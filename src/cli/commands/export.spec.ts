import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stdoutSink } from './export';

describe('an export written to stdout', () => {
  it('keeps a character whose bytes arrive in two chunks whole', async () => {
    const bytes = Buffer.from('Russia–Ukraine: Kyïv, Чугуїв\n', 'utf8');
    // Cut inside the en dash (3 bytes) and inside a Cyrillic letter (2 bytes).
    const cuts = [7, 8, 23, bytes.length];
    const chunks = cuts.map((end, i) => bytes.subarray(i === 0 ? 0 : cuts[i - 1], end));
    let out = '';
    await pipeline(
      Readable.from(chunks),
      stdoutSink({ out: (s: string) => (out += s), err: () => undefined }),
    );
    expect(out).toBe('Russia–Ukraine: Kyïv, Чугуїв\n');
  });
});
