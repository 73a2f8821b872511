import type { Cell, Table } from './analytics-tables';

function field(value: Cell): string {
  if (value === null) return 'NA';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Inf';
    if (value === -Infinity) return '-Inf';
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * RFC 4180 CSV of a table, with R's spellings so `read.csv` reads it back as it was: NA for
 * missing, TRUE/FALSE, NaN, Inf and -Inf; numbers at full precision (shortest round-trip form).
 */
export function tableToCsv(table: Pick<Table, 'columns' | 'rows'>): string {
  return [table.columns.map(field).join(','), ...table.rows.map((r) => r.map(field).join(','))].join('\r\n') + '\r\n';
}
