/**
 * CSV as RFC 4180 writes it (CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF,
 * quotes doubled), made safe to open in a spreadsheet as OWASP's CSV-injection advice asks: a text
 * cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single
 * quote, so no spreadsheet takes it for a formula. A field holding a semicolon or a tab is quoted
 * too: spreadsheets in some locales split on them, and a formula could start a cell there.
 *
 * Numbers are written as numbers (a longitude of -3.7 stays a number): a value the service
 * computed as a number cannot carry a formula. Everything else a cell holds is text.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\r\n\t]/;

/** One cell, escaped and quoted as needed. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, with its CRLF. */
export function csvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Several values in one cell, separated by "; " (as ACLED lists sources and associated actors). */
export const joined = (values: ReadonlyArray<string | null | undefined>): string =>
  values.filter((v): v is string => typeof v === 'string' && v.length > 0).join('; ');
