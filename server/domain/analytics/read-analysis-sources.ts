import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { sqlRows } from '../backup/sql-rows';
import { analysisStampSql } from './analysis-stamp-sql';
import { ANALYSIS_SOURCE_PARTS, type AnalysisSourcePart, type AnalysisSources } from './analysis-sources';

/**
 * Reads `parts` of a trial's analysis sources in one statement, with the stamps of the tables they
 * read taken in the same statement (so in the same snapshot: a part is the data of its stamps).
 * Statements are written once per set of parts; the trial id is the one parameter.
 */
export async function readAnalysisSources({
  db,
  trialId,
  parts,
}: {
  db: DbOrTx;
  trialId: string;
  parts: readonly AnalysisSourcePart[];
}): Promise<{ sources: Partial<AnalysisSources>; stamps: Record<string, string> }> {
  const pieces = statementOf(parts).split('$1');
  const [row] = await sqlRows<{ j: string }>(
    db,
    sql.join(
      pieces.map((p) => sql.raw(p)),
      sql`${trialId}`,
    ),
  );
  const { stamps, ...sources } = JSON.parse(row!.j) as Partial<AnalysisSources> & { stamps: Record<string, string> };
  return { sources, stamps };
}

const statements = new Map<string, string>();
function statementOf(parts: readonly AnalysisSourcePart[]): string {
  const key = parts.join(',');
  let text = statements.get(key);
  if (!text) {
    const tables = parts.flatMap((p) => ANALYSIS_SOURCE_PARTS[p].tables);
    text = `select json_build_object(${parts.map((p) => `'${p}', ${ANALYSIS_SOURCE_PARTS[p].sql}`).join(', ')}, 'stamps', ${analysisStampSql(tables)})::text as j`;
    statements.set(key, text);
  }
  return text;
}
