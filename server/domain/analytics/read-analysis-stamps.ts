import type { DbOrTx } from '@/db/client';
import { analysisStampSql } from './analysis-stamp-sql';
import { ANALYSIS_SOURCE_PARTS } from './analysis-sources';
import { readJsonStatement } from './read-json-statement';

let statement: string | null = null;

/** The stamp of every table the analysis sources read (table → stamp), one statement. */
export async function readAnalysisStamps(db: DbOrTx): Promise<Record<string, string>> {
  statement ??= `select ${analysisStampSql(Object.values(ANALYSIS_SOURCE_PARTS).flatMap((p) => p.tables))}::text as j`;
  return readJsonStatement<Record<string, string>>(db, 'segtrial_analysis_stamps', statement);
}
