import type { DbOrTx } from '@/db/client';
import type { SessionUser } from '../auth/resolve-session';
import type { TrialAccess } from '../trials/trial-access';
import type { AnalysisDataset } from './analysis-dataset';
import { analyticsMethods } from './analytics-methods';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './analytics-settings';
import { analyticsTables } from './analytics-tables';
import { computeTrialAnalyticsCached } from './compute-trial-analytics-cached';
import { loadConsortCounts } from './load-consort-counts';

/**
 * The figures, CONSORT counts, tables and methods of a dataset already built (loadTrialAnalytics
 * builds it): the whole report, for the statistician's pages, the PDF and the report export. The
 * figures are computed once per data state, remembered by the dataset's hash.
 */
export async function analyzeTrialDataset({
  db,
  dataset,
  access,
  user,
  settings = DEFAULT_ANALYTICS_SETTINGS,
}: {
  db: DbOrTx;
  dataset: AnalysisDataset;
  access: TrialAccess;
  user: SessionUser;
  settings?: AnalyticsSettings;
}) {
  const consort = await loadConsortCounts({ db, dataset, access, user });
  const report = computeTrialAnalyticsCached({ dataset, settings });
  return { report, consort, tables: analyticsTables({ report, consort }), methods: analyticsMethods(report) };
}
