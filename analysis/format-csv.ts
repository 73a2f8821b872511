/** A CSV cell: text, a number, a logical, or missing. */
export type CsvCell = string | number | boolean | null | undefined;

/** Text a spreadsheet would run as a formula (or DDE) when the file is opened. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return 'NA';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Inf';
    if (value === -Infinity) return '-Inf';
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The one CSV writer of every export (analysis tables and dataset, the audit trail, the CLI):
 * RFC 4180 (comma, CRLF after every record, quotes around a field holding a comma, quote or line
 * break) with R's spellings so `read.csv` reads it back as it was: NA for missing, TRUE/FALSE,
 * NaN, Inf and -Inf, numbers at full precision (shortest round-trip form). Text that a spreadsheet
 * would run as a formula (starting with = + - @, tab or CR) gets a leading ' (OWASP's CSV
 * injection advice); numbers are never touched, so a negative number stays a number.
 *
 * @example
 * formatCsv({ columns: ['a', 'b'], rows: [[null, 'x, "y"'], [true, -Infinity]] });
 * // → 'a,b\r\nNA,"x, ""y"""\r\nTRUE,-Inf\r\n'
 */
export function formatCsv({ columns, rows }: { readonly columns: readonly string[]; readonly rows: readonly (readonly CsvCell[])[] }): string {
  let out = columns.map(csvField).join(',') + '\r\n';
  for (const row of rows) out += row.map(csvField).join(',') + '\r\n';
  return out;
}
