import type { DbOrTx } from '../../../db/client';
import type { SessionUser } from '../auth/resolve-session';
import { consortCounts } from '../enrollment/consort-counts';
import { listParticipants } from '../enrollment/list-participants';
import type { TrialAccess } from '../trials/trial-access';
import type { AnalysisDataset } from './analysis-dataset';
import { analyticsMethods } from './analytics-methods';
import { analyticsTables } from './analytics-tables';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './compute-trial-analytics';
import { computeTrialAnalyticsCached } from './compute-trial-analytics-cached';

/**
 * The figures, CONSORT counts, tables and methods of a dataset already built (loadTrialAnalytics
 * builds it; the export route builds it alone for a dataset download). The figures are computed
 * once per data state, remembered by the dataset's hash.
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
  const participants = await listParticipants({ db, access, user });
  const consort = consortCounts({ participants, arms: dataset.arms.map((a) => ({ key: a.key, label: a.label })) });
  const report = computeTrialAnalyticsCached({ dataset, settings });
  return { report, consort, tables: analyticsTables({ report, consort }), methods: analyticsMethods(report) };
}
