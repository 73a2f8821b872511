/**
 * A JSON object of the stamps of `tables` (name → stamp), as a SQL expression: per table its row
 * count and the sum of its row versions' `xmin` (the id of the transaction that wrote each row).
 * An insert or a delete changes the count; an update gives its row the updating transaction's id,
 * which changes the sum, whether that transaction is newer or older than the others that wrote the
 * table (the largest xmin alone missed an update committed after a newer transaction's write). So
 * two equal stamps of a table mean it did not change between them.
 *
 * Each xmin is read as age('3') - age(xmin): age() is the distance to one transaction id that stays
 * fixed for the whole statement, so the difference is the xmin (less 3) without converting every
 * row's xmin to text (the cost of xmin::text::bigint). Limit: wraparound or freezing of transaction
 * ids changes a stamp once without a write (one extra read, never a stale one).
 */
export function analysisStampSql(tables: Iterable<string>): string {
  const pairs = [...new Set(tables)].map((t) => `'${t}', (select count(*) || ':' || coalesce(sum(age('3'::xid)::bigint - age(xmin)), 0) from "${t}")`);
  return `json_build_object(${pairs.join(', ')})`;
}
