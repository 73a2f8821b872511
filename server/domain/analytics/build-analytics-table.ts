import type { DbOrTx } from '@/db/client';
import { AppError } from '../../errors';
import type { SessionUser } from '../auth/resolve-session';
import type { TrialAccess } from '../trials/trial-access';
import type { AnalysisDataset } from './analysis-dataset';
import type { AnalyticsSettings } from './analytics-settings';
import { ANALYTICS_TABLES, type Table } from './analytics-tables';
import { computeTrialSectionsCached } from './compute-trial-analytics-cached';
import { loadConsortCounts } from './load-consort-counts';

/**
 * One table of the report, computing only the sections it reads (remembered per data state) and
 * reading the participants only for the CONSORT table. An unknown name is NOT_FOUND listing the tables.
 */
export async function buildAnalyticsTable({
  db,
  dataset,
  access,
  user,
  settings,
  name,
}: {
  db: DbOrTx;
  dataset: AnalysisDataset;
  access: TrialAccess;
  user: SessionUser;
  settings: AnalyticsSettings;
  name: string;
}): Promise<Table> {
  const spec = ANALYTICS_TABLES.find((t) => t.name === name);
  if (!spec) throw new AppError('NOT_FOUND', `No table '${name}'; one of ${ANALYTICS_TABLES.map((t) => t.name).join(', ')}.`);
  const report = computeTrialSectionsCached({ dataset, settings, sections: spec.sections });
  const consort = spec.consort ? await loadConsortCounts({ db, dataset, access, user }) : null;
  // Only the CONSORT table reads the counts (spec.consort), so no other build sees the null.
  return spec.build(report, consort as NonNullable<typeof consort>);
}
