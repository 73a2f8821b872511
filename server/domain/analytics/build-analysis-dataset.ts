import type { DbOrTx } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { TrialAccess } from '../trials/trial-access';
import type { AnalysisDataset } from './analysis-dataset';
import { ANALYSIS_SOURCE_PART_NAMES, type AnalysisSources } from './analysis-sources';
import { assembleAnalysisDataset } from './assemble-analysis-dataset';
import { readAnalysisSources } from './read-analysis-sources';

/**
 * The subject-level analysis dataset of a trial as the caller may see it (assembleAnalysisDataset
 * says what it holds), read afresh: every source in one statement, nothing remembered.
 * loadAnalysisDataset is the same dataset, read again only where the data changed.
 */
export async function buildAnalysisDataset({ db, store, access }: { db: DbOrTx; store: ContentStore; access: TrialAccess }): Promise<AnalysisDataset> {
  const { sources } = await readAnalysisSources({ db, trialId: access.trialId, parts: ANALYSIS_SOURCE_PART_NAMES });
  return assembleAnalysisDataset({ sources: sources as AnalysisSources, access, store });
}
