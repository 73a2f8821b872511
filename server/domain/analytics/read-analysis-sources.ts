import type { DbOrTx } from '@/db/client';
import { analysisStampSql } from './analysis-stamp-sql';
import { ANALYSIS_SOURCE_PART_NAMES, ANALYSIS_SOURCE_PARTS, type AnalysisSourcePart, type AnalysisSources } from './analysis-sources';
import { readJsonStatement } from './read-json-statement';

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
  const { name, text } = statementOf(parts);
  const { stamps, ...sources } = await readJsonStatement<Partial<AnalysisSources> & { stamps: Record<string, string> }>(db, name, text, trialId);
  return { sources, stamps };
}

const statements = new Map<string, { name: string; text: string }>();
function statementOf(parts: readonly AnalysisSourcePart[]): { name: string; text: string } {
  const key = parts.join(',');
  let statement = statements.get(key);
  if (!statement) {
    const tables = parts.flatMap((p) => ANALYSIS_SOURCE_PARTS[p].tables);
    // The name says which parts (a bit per part), so each set of parts is prepared once.
    const bits = ANALYSIS_SOURCE_PART_NAMES.reduce((sum, p, i) => sum + (parts.includes(p) ? 2 ** i : 0), 0);
    statement = {
      name: `segtrial_analysis_sources_${bits}`,
      text: `select json_build_object(${parts.map((p) => `'${p}', ${ANALYSIS_SOURCE_PARTS[p].sql}`).join(', ')}, 'stamps', ${analysisStampSql(tables)})::text as j`,
    };
    statements.set(key, statement);
  }
  return statement;
}
