import { csvCell, csvRow, joined } from './csv';

describe('CSV cells (RFC 4180, spreadsheet-safe)', () => {
  it('writes plain text and numbers as they are', () => {
    expect(csvCell('Kharkiv')).toBe('Kharkiv');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-37.5)).toBe('-37.5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('quotes a field holding a comma, a quote, CR, LF, a semicolon or a tab, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "no"')).toBe('"say ""no"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('a\tb')).toBe('"a\tb"');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
  ])('prefixes a text cell that a spreadsheet would read as a formula: %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('prefixes and quotes a cell starting with a tab or CR, and quotes a formula with separators', () => {
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('leaves a formula character that does not start the cell alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('2022-02-17')).toBe('2022-02-17');
  });

  it('ends a row with CRLF and joins lists with "; "', () => {
    expect(csvRow(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
    expect(joined(['Russia', null, '', 'Belarus'])).toBe('Russia; Belarus');
  });
});
