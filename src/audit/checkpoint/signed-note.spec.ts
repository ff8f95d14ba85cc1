import { NoteError } from './note-error';
import {
  formatSigningKey,
  formatVerifierKey,
  generateSigningKey,
  parseSigningKey,
  parseVerifierKey,
  signingKeyFromSeed,
  verifierKeyOf,
} from './note-keys';
import { openNote, signNote } from './signed-note';

const log = generateSigningKey('crisis.example/log');
const witness = generateSigningKey('witness.example/w1');
const logVerifier = verifierKeyOf(log);
const BODY = 'crisis.example/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

const errorOf = (fn: () => unknown): { code: string; message: string } | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof NoteError) return { code: e.code, message: e.message };
    throw e;
  }
  return undefined;
};

describe('keys', () => {
  it('round-trip through their text forms', () => {
    const signerText = formatSigningKey(log);
    const verifierText = formatVerifierKey(log);
    expect(signerText).toMatch(/^PRIVATE\+KEY\+crisis\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(verifierText).toBe(formatVerifierKey(logVerifier));
    const parsed = parseSigningKey(signerText);
    expect(formatSigningKey(parsed)).toBe(signerText);
    expect(parsed.keyId).toBe(log.keyId);
    expect(parseVerifierKey(verifierText).publicKey.equals(log.publicKey)).toBe(true);
    expect(verifierText.split('+')[1]).toBe(log.keyId.toString(16).padStart(8, '0'));
  });

  it('give the same key for the same seed, and a different id for another name', () => {
    const seed = Buffer.alloc(32, 7);
    expect(formatVerifierKey(signingKeyFromSeed('a.example', seed))).toBe(
      formatVerifierKey(signingKeyFromSeed('a.example', seed)),
    );
    expect(signingKeyFromSeed('a.example', seed).keyId).not.toBe(signingKeyFromSeed('b.example', seed).keyId);
  });

  it('refuse bad names, and keys whose id does not match', () => {
    for (const name of ['', 'has space', 'has+plus', 'tab\there', 'nbsp\u00a0here']) {
      expect(errorOf(() => generateSigningKey(name))?.code).toBe('malformed_key');
    }
    const [name, , material] = formatVerifierKey(log).split('+', 3);
    const rest = formatVerifierKey(log).slice(`${name}+00000000+`.length);
    expect(errorOf(() => parseVerifierKey(`${name}+00000000+${rest}`))?.message).toMatch(
      /^verifier key id 00000000 does not match its name and public key/,
    );
    expect(material).toBeDefined();
    expect(
      errorOf(() => parseVerifierKey(formatVerifierKey(log).replace('crisis.example/log', 'other')))?.code,
    ).toBe('malformed_key');
    expect(errorOf(() => parseSigningKey(formatVerifierKey(log)))?.message).toBe(
      'signer key must start with "PRIVATE+KEY+"',
    );
    expect(errorOf(() => parseVerifierKey('no-plus-at-all'))?.code).toBe('malformed_key');
  });
});

describe('signed notes', () => {
  it('round-trip: a signed note opens to its body', () => {
    const note = signNote(BODY, log);
    expect(note.startsWith(`${BODY}\n\u2014 crisis.example/log `)).toBe(true);
    const opened = openNote(note, logVerifier);
    expect(opened.body).toBe(BODY);
    expect(opened.verified).toHaveLength(1);
    expect(openNote(Buffer.from(note, 'utf8'), logVerifier).body).toBe(BODY);
  });

  it('a note with several signatures verifies with each key; others are listed as unverified', () => {
    const note = signNote(BODY, [witness, log]);
    const byLog = openNote(note, logVerifier);
    expect(byLog.verified.map((s) => s.name)).toEqual(['crisis.example/log']);
    expect(byLog.unverified.map((s) => s.name)).toEqual(['witness.example/w1']);
    const byWitness = openNote(note, verifierKeyOf(witness));
    expect(byWitness.verified.map((s) => s.name)).toEqual(['witness.example/w1']);
    expect(openNote(note, [logVerifier, verifierKeyOf(witness)]).verified).toHaveLength(2);
  });

  it('a tampered body fails', () => {
    const note = signNote(BODY, log);
    expect(errorOf(() => openNote(note.replace('\n42\n', '\n43\n'), logVerifier))).toEqual({
      code: 'invalid_signature',
      message: `signature by crisis.example/log+${log.keyId.toString(16).padStart(8, '0')} does not verify`,
    });
  });

  it('a tampered signature fails, whichever byte is changed', () => {
    const note = signNote(BODY, log);
    const line = note.slice(BODY.length + 1, -1);
    const sig = Buffer.from(line.split(' ')[2]!, 'base64');
    for (let i = 4; i < sig.length; i++) {
      const bad = Buffer.from(sig);
      bad[i] = bad[i]! ^ 0x01;
      const tampered = `${BODY}\n\u2014 crisis.example/log ${bad.toString('base64')}\n`;
      expect(errorOf(() => openNote(tampered, logVerifier))?.code).toBe('invalid_signature');
    }
  });

  it('a tampered key id makes the signature unknown, as does the wrong key', () => {
    const sig = Buffer.from(signNote(BODY, log).split(' ').pop()!.trim(), 'base64');
    sig[0] = sig[0]! ^ 0x80;
    const tampered = `${BODY}\n\u2014 crisis.example/log ${sig.toString('base64')}\n`;
    expect(errorOf(() => openNote(tampered, logVerifier))?.code).toBe('unknown_key');
    expect(errorOf(() => openNote(signNote(BODY, log), verifierKeyOf(witness)))?.message).toMatch(
      /^note is signed by crisis\.example\/log\+[0-9a-f]{8}; none is a known key \(witness\.example\/w1\+[0-9a-f]{8}\)$/,
    );
  });

  it('a truncated signature from a known key fails', () => {
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(log.keyId);
    const short = Buffer.concat([keyId, Buffer.alloc(10)]).toString('base64');
    expect(errorOf(() => openNote(`${BODY}\n\u2014 crisis.example/log ${short}\n`, logVerifier))?.code).toBe(
      'invalid_signature',
    );
  });

  it('refuses to sign text that is not note text', () => {
    expect(errorOf(() => signNote('no newline', log))?.message).toBe('note text must end with a newline');
    expect(errorOf(() => signNote('tab\there\n', log))?.message).toBe(
      'note text has a control character U+0009 at offset 3',
    );
    expect(errorOf(() => signNote('lone \ud800 surrogate\n', log))?.message).toBe(
      'note text has a unpaired surrogate at offset 5',
    );
    expect(errorOf(() => signNote(BODY, []))?.message).toBe('a note needs at least one signer');
  });

  it('names the malformed part of a note', () => {
    expect(errorOf(() => openNote(BODY, logVerifier))?.message).toBe(
      'note has no blank line before its signatures',
    );
    expect(errorOf(() => openNote(`${BODY}\n`, logVerifier))?.message).toBe('note has no signature lines');
    expect(errorOf(() => openNote(`${BODY}\n- crisis.example/log AAAA\n`, logVerifier))?.message).toBe(
      'signature line 1 does not start with "— " (em dash, space)',
    );
    expect(
      errorOf(() => openNote(`${BODY}\n\u2014 crisis.example/log not*base64\n`, logVerifier))?.message,
    ).toBe('signature line 1 (crisis.example/log) has no valid base64 signature');
    expect(errorOf(() => openNote(`${BODY}\n\u2014 crisis.example/log\n`, logVerifier))?.message).toBe(
      'signature line 1 (crisis.example/log) has no valid base64 signature',
    );
  });

  it('signing is deterministic and an empty-looking body line is allowed', () => {
    const body = 'first\n\nthird\n';
    expect(signNote(body, log)).toBe(signNote(body, log));
    expect(openNote(signNote(body, log), logVerifier).body).toBe(body);
  });

  it('rejects two different verifier keys that share a name and key id', () => {
    const twin = { ...logVerifier, publicKey: witness.publicKey };
    expect(errorOf(() => openNote(signNote(BODY, log), [logVerifier, twin]))?.code).toBe('ambiguous_key');
    expect(openNote(signNote(BODY, log), [logVerifier, logVerifier]).verified).toHaveLength(1);
  });
});
