/**
 * A JSON object of the stamps of `tables` (name → stamp), as a SQL expression: per table its row
 * count and its newest row version, the largest `xmin` (the id of the transaction that wrote it).
 * A committed insert or update adds a row version with the newest transaction id (the maximum
 * rises); a delete lowers the count, or comes with a rise in the same transaction. So two equal
 * stamps of a table mean it did not change between them.
 *
 * The largest xmin is read as age('3') - min(age(xmin)): age() is the distance to one transaction
 * id that stays fixed for the whole statement, so the difference is the largest xmin (less 3)
 * without converting every row's xmin to text (the cost of max(xmin::text::bigint)). Limits:
 * wraparound of the 32-bit transaction counter (a stamp then changes once without a write: one
 * extra read), and an update committed by a transaction older than the one that wrote the table's
 * newest rows (its id is lower) goes unseen until the table's next write.
 */
export function analysisStampSql(tables: Iterable<string>): string {
  const pairs = [...new Set(tables)].map((t) => `'${t}', (select count(*) || ':' || coalesce(age('3'::xid)::bigint - min(age(xmin)), 0) from "${t}")`);
  return `json_build_object(${pairs.join(', ')})`;
}
