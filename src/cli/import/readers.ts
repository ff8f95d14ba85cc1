import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** A record of the input with the line it starts on (1-based), for the report. */
export interface Row<T> {
  readonly line: number;
  readonly value: T;
}

/**
 * The records of a CSV file (RFC 4180: quoted fields with "" for a quote, separators and line
 * breaks inside quotes, CRLF or LF, a leading BOM), streamed, each with the line it starts on.
 * `onBytes` is told how many bytes were read so far (for a progress bar).
 */
export async function* csvRecords(
  file: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Row<string[]>> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let start = 1;
  let bytes = 0;
  let first = true;
  let any = false;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    let text = chunk as string;
    bytes += Buffer.byteLength(text);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    const out: Array<Row<string[]>> = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else if (i + 1 === text.length) {
            // A quote at the chunk's end: the next chunk says whether it is doubled.
            quoted = false;
            afterQuote = true;
          } else {
            quoted = false;
          }
        } else {
          if (c === '\n') line++;
          field += c;
        }
        continue;
      }
      if (afterQuote && c === '"') {
        field += '"';
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (c === '"' && field === '') {
        quoted = true;
        any = true;
      } else if (c === ',') {
        record.push(field);
        field = '';
        any = true;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        if (any || field !== '') out.push({ line: start, value: [...record, field] });
        record = [];
        field = '';
        any = false;
        line++;
        start = line;
      } else {
        field += c;
        any = true;
      }
    }
    yield* out;
    onBytes?.(bytes);
  }
  if (any || field !== '') yield { line: start, value: [...record, field] };
}

/** The non-blank lines of a text file, parsed as JSON (a line that is not JSON is `error`). */
export async function* jsonLines(
  file: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Row<{ json?: unknown; error?: string }>> {
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  let bytes = 0;
  input.on('data', (c) => {
    bytes += Buffer.byteLength(c);
    onBytes?.(bytes);
  });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (text.trim() === '') continue;
    try {
      yield { line: n, value: { json: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) } };
    } catch (e) {
      yield { line: n, value: { error: `not a JSON line (${(e as Error).message})` } };
    }
  }
}
