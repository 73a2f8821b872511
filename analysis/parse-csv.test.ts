import { describe, expect, it } from 'vitest';
import { parseCsv } from './parse-csv';

describe('parseCsv (RFC 4180)', () => {
  it('handles quotes, escaped quotes, embedded commas and newlines, CRLF, BOM and a final newline', () => {
    const text = '\uFEFFid,note,x\r\n1,"a, ""b""",2\r\n2,"line1\nline2",\r\n';
    expect(parseCsv(text)).toEqual({
      header: ['id', 'note', 'x'],
      rows: [
        ['1', 'a, "b"', '2'],
        ['2', 'line1\nline2', ''],
      ],
    });
  });
  it('skips blank lines and keeps an empty quoted field', () => {
    expect(parseCsv('a,b\n\n"",1\n').rows).toEqual([['', '1']]);
  });
  it.each([
    ['', /empty CSV/],
    ['a,b\n1\n', /line 2: 1 fields, header has 2/],
    ['a\n"open\n', /unterminated/],
    ['a\n"x"y\n', /after a closing quote/],
    ['a,a\n1,2\n', /duplicate column/],
  ])('%j throws CSV_PARSE', (text, message) => {
    expect(() => parseCsv(text)).toThrowError(message);
    expect(() => parseCsv(text)).toThrowError(expect.objectContaining({ code: 'CSV_PARSE' }));
  });
});
