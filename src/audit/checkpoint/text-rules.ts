/** Small text checks shared by keys, notes and checkpoints. */

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes RFC 4648 §4 base64, padded and canonical; undefined for anything else. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!STANDARD_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Unicode spaces as Go's unicode.IsSpace sees them (plus U+FEFF, which JavaScript counts too). */
const SPACE = /[\s\u0085]/u;

/** A key name: non-empty, no Unicode spaces, no plus (C2SP signed-note). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !SPACE.test(name) && !name.includes('+') && findTextProblem(name) === undefined;
}

/**
 * Describes the first thing that stops `text` from being note text: a lone surrogate (not UTF-8
 * encodable) or an ASCII control character other than newline. Undefined when the text is fine.
 */
export function findTextProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) {
      return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()} at offset ${i}`;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return `unpaired surrogate at offset ${i}`;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return `unpaired surrogate at offset ${i}`;
    }
  }
  return undefined;
}

/** Decodes UTF-8 strictly; undefined when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
