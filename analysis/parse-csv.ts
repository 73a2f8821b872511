import { AnalysisInputError } from './errors';

export interface CsvTable {
  readonly header: readonly string[];
  /** Data rows, each with exactly `header.length` fields. */
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses RFC 4180 CSV text: comma-separated fields, optional double quotes around a field
 * (inside which commas, CR/LF and doubled quotes "" are literal), CRLF or LF line ends, an
 * optional UTF-8 BOM, and an optional final newline. The first record is the header; blank lines
 * are skipped.
 *
 * Reference: Y. Shafranovich (2005), RFC 4180 "Common Format and MIME Type for CSV Files".
 * Throws `CSV_PARSE` (with line number) for an unterminated quote, text after a closing quote,
 * a row whose field count differs from the header's, an empty text, or duplicate header names.
 *
 * @example
 * parseCsv('id,note\n1,"a, ""b"""\n');
 * // → { header: ['id', 'note'], rows: [['1', 'a, "b"']] }
 */
export function parseCsv(text: string): CsvTable {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // the current field was written in quotes
  let line = 1;
  let recordLine = 1;
  const endRecord = (): void => {
    fields.push(field);
    const blank = fields.length === 1 && field === '' && !quoted;
    if (!blank) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    quoted = false;
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '"' && field === '' && !quoted) {
      quoted = true;
      i++;
      for (;;) {
        if (i >= source.length) throw new AnalysisInputError('CSV_PARSE', `line ${recordLine}: unterminated quoted field`);
        const c = source[i];
        if (c === '"' && source[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          if (c === '\n') line++;
          field += c;
          i++;
        }
      }
      const next = source[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new AnalysisInputError('CSV_PARSE', `line ${line}: unexpected text after a closing quote`);
      }
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      quoted = false;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  const [head, ...body] = records;
  if (!head) throw new AnalysisInputError('CSV_PARSE', 'empty CSV: no header');
  const header = head.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new AnalysisInputError('CSV_PARSE', `duplicate column '${h}' in header`);
    seen.add(h);
  }
  for (const r of body) {
    if (r.fields.length !== header.length) {
      throw new AnalysisInputError('CSV_PARSE', `line ${r.line}: ${r.fields.length} fields, header has ${header.length}`);
    }
  }
  return { header, rows: body.map((r) => r.fields) };
}
