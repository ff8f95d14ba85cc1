import { rootAt } from '../merkle/node-reader';
import { createMemoryLog } from '../merkle/memory-node-store';
import { leafHash } from '../merkle/hashing';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint';
import { NoteError } from './note-error';
import { generateSigningKey, verifierKeyOf } from './note-keys';
import { parseNote, signNote } from './signed-note';

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof NoteError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
};

const ROOT = Buffer.alloc(32, 0xab);

describe('checkpoint text', () => {
  it('parses the c2sp.org/tlog-checkpoint example (C2SP/C2SP tlog-checkpoint.md)', () => {
    const note =
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
      '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
    const { body, signatures } = parseNote(note);
    const checkpoint = parseCheckpoint(body);
    expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
    expect(checkpoint.size).toBe(20852163);
    expect(Buffer.from(checkpoint.rootHash).toString('base64')).toBe(
      'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=',
    );
    expect(signatures.map((s) => s.name)).toEqual(['example.com/behind-the-sofa']);
    expect(formatCheckpoint(checkpoint)).toBe(body);
  });

  it('formats origin, decimal size and base64 root, each on its own line', () => {
    expect(formatCheckpoint({ origin: 'crisis.example/log', size: 0, rootHash: ROOT })).toBe(
      `crisis.example/log\n0\n${ROOT.toString('base64')}\n`,
    );
    const withExtensions = { origin: 'o', size: 7, rootHash: ROOT, extensions: ['ext one', 'ext two'] };
    const text = formatCheckpoint(withExtensions);
    expect(text).toBe(`o\n7\n${ROOT.toString('base64')}\next one\next two\n`);
    expect(parseCheckpoint(text)).toEqual({ ...withExtensions, rootHash: ROOT });
  });

  it.each([
    ['no final newline', `o\n1\n${ROOT.toString('base64')}`, 'checkpoint must end with a newline'],
    ['two lines', 'o\n1\n', 'checkpoint needs origin, tree size and root hash lines, got 2 line(s)'],
    ['empty origin', `\n1\n${ROOT.toString('base64')}\n`, 'origin line is empty'],
    [
      'leading zero',
      `o\n01\n${ROOT.toString('base64')}\n`,
      'tree size "01" is not a decimal number without leading zeros',
    ],
    [
      'signed size',
      `o\n+1\n${ROOT.toString('base64')}\n`,
      'tree size "+1" is not a decimal number without leading zeros',
    ],
    [
      'hex size',
      `o\n0x10\n${ROOT.toString('base64')}\n`,
      'tree size "0x10" is not a decimal number without leading zeros',
    ],
    [
      'huge size',
      `o\n9007199254740992\n${ROOT.toString('base64')}\n`,
      'tree size 9007199254740992 is larger than 2^53 - 1',
    ],
    ['bad base64', 'o\n1\nnot base64!\n', 'root hash "not base64!" is not valid base64'],
    ['unpadded base64', `o\n1\n${ROOT.toString('base64').replace('=', '')}\n`, 'is not valid base64'],
    ['short root', `o\n1\n${Buffer.alloc(31).toString('base64')}\n`, 'root hash must be 32 bytes, got 31'],
    ['empty extension', `o\n1\n${ROOT.toString('base64')}\next\n\n`, 'extension line 2 is empty'],
    [
      'control character',
      `o\r\n1\n${ROOT.toString('base64')}\n`,
      'checkpoint has a control character U+000D at offset 1',
    ],
  ])('rejects %s', (_name, text, message) => {
    const result = messageOf(() => parseCheckpoint(text));
    expect(result.startsWith('malformed_checkpoint: ')).toBe(true);
    expect(result).toContain(message);
  });

  it('refuses to format an invalid checkpoint', () => {
    expect(messageOf(() => formatCheckpoint({ origin: '', size: 1, rootHash: ROOT }))).toBe(
      'malformed_checkpoint: origin is empty',
    );
    expect(messageOf(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: ROOT }))).toBe(
      'malformed_checkpoint: origin contains a newline',
    );
    expect(messageOf(() => formatCheckpoint({ origin: 'o', size: -1, rootHash: ROOT }))).toBe(
      'malformed_checkpoint: tree size -1 is not a non-negative integer',
    );
    expect(messageOf(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: Buffer.alloc(20) }))).toBe(
      'malformed_checkpoint: root hash must be 32 bytes',
    );
    expect(
      messageOf(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: ROOT, extensions: [''] })),
    ).toBe('malformed_checkpoint: extension line 1 is empty');
  });
});

describe('signed checkpoints', () => {
  const key = generateSigningKey('crisis.example/log');
  const tree = createMemoryLog(['a', 'b', 'c', 'd', 'e'].map((s) => leafHash(Buffer.from(s))));
  const checkpoint = { origin: 'crisis.example/log', size: 5, rootHash: rootAt(tree.reader, 5) };

  it('round-trip with the Merkle root of a log', () => {
    const note = signCheckpoint(checkpoint, key);
    const opened = openCheckpoint(note, verifierKeyOf(key), 'crisis.example/log');
    expect(opened.checkpoint.size).toBe(5);
    expect(Buffer.from(opened.checkpoint.rootHash).equals(rootAt(tree.reader, 5))).toBe(true);
    expect(opened.note.verified.map((s) => s.name)).toEqual(['crisis.example/log']);
  });

  it('rejects another origin, a tampered size and a stranger key', () => {
    const note = signCheckpoint(checkpoint, key);
    expect(messageOf(() => openCheckpoint(note, verifierKeyOf(key), 'other.example/log'))).toBe(
      'wrong_origin: checkpoint origin "crisis.example/log" is not "other.example/log"',
    );
    expect(messageOf(() => openCheckpoint(note.replace('\n5\n', '\n6\n'), verifierKeyOf(key)))).toMatch(
      /^invalid_signature: /,
    );
    const stranger = verifierKeyOf(generateSigningKey('crisis.example/log'));
    expect(messageOf(() => openCheckpoint(note, stranger))).toMatch(/^unknown_key: /);
  });

  it('rejects a validly signed note whose body is not a checkpoint', () => {
    const note = signNote('just text\n', key);
    expect(messageOf(() => openCheckpoint(note, verifierKeyOf(key)))).toBe(
      'malformed_checkpoint: checkpoint needs origin, tree size and root hash lines, got 1 line(s)',
    );
  });
});
