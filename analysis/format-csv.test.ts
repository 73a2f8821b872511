import { describe, expect, it } from 'vitest';
import { formatCsv } from './format-csv';
import { parseCsv } from './parse-csv';

describe('formatCsv', () => {
  it("writes RFC 4180 with R's spellings: NA, TRUE/FALSE, NaN, Inf, -Inf, CRLF after every record", () => {
    const csv = formatCsv({
      columns: ['a', 'b', 'c', 'd'],
      rows: [
        [null, true, Infinity, 'x, "y"'],
        [Number.NaN, false, -Infinity, 0.1],
        [undefined, 'line\nbreak', -2.5, ''],
      ],
    });
    expect(csv).toBe('a,b,c,d\r\nNA,TRUE,Inf,"x, ""y"""\r\nNaN,FALSE,-Inf,0.1\r\nNA,"line\nbreak",-2.5,\r\n');
  });

  it('guards text a spreadsheet would run as a formula, never a number', () => {
    const csv = formatCsv({
      columns: ['note', 'x'],
      rows: [
        ['=HYPERLINK("http://x")', -1],
        ['@SUM(A1)', 1],
        ['+1', 0],
        ['-a', 0],
      ],
    });
    const { rows } = parseCsv(csv);
    expect(rows.map((r) => r[0])).toEqual(['\'=HYPERLINK("http://x")', "'@SUM(A1)", "'+1", "'-a"]);
    expect(rows.map((r) => r[1])).toEqual(['-1', '1', '0', '0']);
  });

  it('reads back field for field with the project parser (quotes, commas, line breaks, numbers at full precision)', () => {
    const rows = [
      ['plain', 'a,b', 'say "hi"', 'two\r\nlines', String(0.1 + 0.2)],
      ['', ' space ', 'ünïcödé', '1e-300', String(Number.MAX_VALUE)],
    ];
    const parsed = parseCsv(formatCsv({ columns: ['c1', 'c2', 'c3', 'c4', 'c5'], rows }));
    expect(parsed.header).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(parsed.rows).toEqual(rows);
    expect(Number(formatCsv({ columns: ['x'], rows: [[0.1 + 0.2]] }).split('\r\n')[1])).toBe(0.1 + 0.2);
  });
});
