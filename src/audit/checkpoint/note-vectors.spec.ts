import { formatSigningKey, formatVerifierKey, parseSigningKey, parseVerifierKey } from './note-keys';
import { NoteError } from './note-error';
import { openNote, parseNote, signNote } from './signed-note';

/*
 * Published vectors:
 *  - golang.org/x/mod sumdb/note/note_test.go (TestSign, TestOpen, TestVerifierList; github.com/golang/mod
 *    at fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db): PeterNeumann's signer and verifier keys, EnochRoot's
 *    verifier key, the signed text and both signature lines.
 *  - c2sp.org/signed-note (github.com/C2SP/C2SP signed-note.md at 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9):
 *    the example.com/foo verifier key and its signed note, and the multi-paragraph quasimodo note.
 */
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const PETER_SIG =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const C2SP_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const C2SP_NOTE =
  'This is an example message.\n\n' +
  '\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return e instanceof NoteError ? `${e.code}: ${e.message}` : `not a NoteError: ${String(e)}`;
  }
  return 'no error';
};

describe('golang.org/x/mod/sumdb/note vectors', () => {
  it('parses the published keys, and the signer key derives the published verifier key', () => {
    const signer = parseSigningKey(PETER_SKEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(formatVerifierKey(signer)).toBe(PETER_VKEY);
    expect(formatSigningKey(signer)).toBe(PETER_SKEY);
    expect(formatVerifierKey(parseVerifierKey(PETER_VKEY))).toBe(PETER_VKEY);
    expect(parseVerifierKey(ENOCH_VKEY).keyId).toBe(0xaf0cfe78);
  });

  it('signs exactly like the Go implementation (Ed25519 is deterministic)', () => {
    expect(signNote(TEXT, parseSigningKey(PETER_SKEY))).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('opens the published note with either key and lists the other signature as unverified', () => {
    const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const byPeter = openNote(note, parseVerifierKey(PETER_VKEY));
    expect(byPeter.body).toBe(TEXT);
    expect(byPeter.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(byPeter.unverified.map((s) => [s.name, s.keyId])).toEqual([['EnochRoot', 0xaf0cfe78]]);
    const byEnoch = openNote(note, parseVerifierKey(ENOCH_VKEY));
    expect(byEnoch.verified.map((s) => s.name)).toEqual(['EnochRoot']);
    const byBoth = openNote(note, [parseVerifierKey(PETER_VKEY), parseVerifierKey(ENOCH_VKEY)]);
    expect(byBoth.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(byBoth.unverified).toEqual([]);
  });

  it('rejects the note when no given key signed it', () => {
    expect(codeOf(() => openNote(`${TEXT}\n${ENOCH_SIG}`, parseVerifierKey(PETER_VKEY)))).toBe(
      'unknown_key: note is signed by EnochRoot+af0cfe78; none is a known key (PeterNeumann+c74f20a3)',
    );
  });

  it('rejects a corrupted signature from a known key (as note_test.go does)', () => {
    const corrupted = PETER_SIG.slice(0, 60) + 'ABCD' + PETER_SIG.slice(60);
    expect(codeOf(() => openNote(`${TEXT}\n${corrupted}`, parseVerifierKey(PETER_VKEY)))).toBe(
      'invalid_signature: signature by PeterNeumann+c74f20a3 does not verify',
    );
  });

  it('rejects the malformed notes of note_test.go', () => {
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\x01${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.repeat(101)}`,
    ];
    for (const note of bad)
      expect(codeOf(() => openNote(note, parseVerifierKey(PETER_VKEY)))).toMatch(/^malformed_note/);
    const invalidUtf8 = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${TEXT}\n${PETER_SIG}`)]);
    expect(codeOf(() => openNote(invalidUtf8, parseVerifierKey(PETER_VKEY)))).toBe(
      'malformed_note: note is not valid UTF-8',
    );
  });

  it('rejects every truncation and every single-character change of the published keys', () => {
    const accepted: string[] = [];
    const tryKey = (text: string, parse: (t: string) => unknown): void => {
      if (codeOf(() => parse(text)) === 'no error') accepted.push(text);
    };
    for (const [key, parse] of [
      [PETER_VKEY, parseVerifierKey],
      [PETER_SKEY, parseSigningKey],
    ] as const) {
      for (let i = 0; i <= key.length; i++) {
        for (let j = i + 1; j <= key.length; j++)
          if (i !== 0 || j !== key.length) tryKey(key.slice(i, j), parse);
      }
      for (let i = 0; i < key.length; i++) {
        tryKey(key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1), parse);
      }
    }
    expect(accepted).toEqual([]);
    // note_test.go: wrong key length and unknown algorithm, each with an adjusted key id. (The first is
    // also non-canonical base64: "EY==" has non-zero padding bits, which the strict decoder refuses first.)
    expect(
      codeOf(() =>
        parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
      ),
    ).toBe('malformed_key: verifier key material is not valid base64');
    expect(codeOf(() => parseVerifierKey(`${PETER_VKEY}AAAA`))).toBe(
      'malformed_key: verifier key must hold 32 key bytes, got 35',
    );
    expect(
      codeOf(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')),
    ).toBe('malformed_key: verifier key type 0x65 is not Ed25519 (0x01)');
  });
});

describe('c2sp.org/signed-note examples', () => {
  it('verifies the example note with the example verifier key', () => {
    const opened = openNote(C2SP_NOTE, parseVerifierKey(C2SP_VKEY));
    expect(opened.body).toBe('This is an example message.\n');
    expect(opened.verified).toEqual([
      { name: 'example.com/foo', keyId: 0x530d903a, base64: expect.any(String) },
    ]);
  });

  it('separates text from signatures at the LAST blank line', () => {
    const note =
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
      '\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
    const { body, signatures } = parseNote(note);
    expect(body).toBe(
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n',
    );
    expect(signatures.map((s) => s.name)).toEqual(['quasimodo.example/salvatore']);
  });
});
