import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { sqlRows } from '../backup/sql-rows';
import { analysisStampSql } from './analysis-stamp-sql';
import { ANALYSIS_SOURCE_PARTS } from './analysis-sources';

let statement: ReturnType<typeof sql.raw> | null = null;

/** The stamp of every table the analysis sources read (table → stamp), one statement. */
export async function readAnalysisStamps(db: DbOrTx): Promise<Record<string, string>> {
  statement ??= sql.raw(`select ${analysisStampSql(Object.values(ANALYSIS_SOURCE_PARTS).flatMap((p) => p.tables))}::text as j`);
  const [row] = await sqlRows<{ j: string }>(db, statement);
  return JSON.parse(row!.j) as Record<string, string>;
}
