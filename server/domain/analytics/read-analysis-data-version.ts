import { getTableName, is, sql, type SQL } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/db/client';
import * as schema from '@/db/schema';
import { sqlRows } from '../backup/sql-rows';

/**
 * Tables whose writes never change an analysis dataset and happen on every request or export
 * (sessions' last use, the audit row an export writes, job progress, upload spooling, alerts):
 * counting them would make every read a new version. Every other table counts, so a table added
 * to the schema later is covered without anyone remembering this list.
 */
const NOT_ANALYSED = new Set(['sessions', 'audit_log', 'jobs', 'password_reset_tokens', 'study_uploads', 'oversight_alerts']);

/**
 * A stamp of the trial data's state, one cheap query: per table its row count and the largest
 * `xmin` (the id of the transaction that wrote a row version). A committed insert or update adds a
 * row version with the newest transaction id (the maximum rises); a delete lowers the count, or
 * comes with a rise in the same transaction. So two equal stamps mean no table changed between
 * them, and a dataset built after reading a stamp is the data of that stamp when a later stamp is
 * equal. Wraparound of the 32-bit transaction counter (billions of transactions) is the limit.
 */
export async function readAnalysisDataVersion(db: DbOrTx): Promise<string> {
  const [row] = await sqlRows<{ version: string }>(db, versionQuery());
  return row!.version;
}

let query: SQL | null = null;
/** The stamp's statement, written once per process: the schema does not change while it runs, and building it per read cost more than running it. */
function versionQuery(): SQL {
  if (query) return query;
  const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable) && !NOT_ANALYSED.has(getTableName(t)));
  const parts = tables.map((t) => `(select count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text from "${getTableName(t)}")`);
  query = sql.raw(`select concat_ws(',', ${parts.join(', ')}) as version`);
  return query;
}
