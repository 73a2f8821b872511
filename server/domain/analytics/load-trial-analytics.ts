import type { DbOrTx } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { SessionUser } from '../auth/resolve-session';
import type { TrialAccess } from '../trials/trial-access';
import { analyzeTrialDataset } from './analyze-trial-dataset';
import { loadAnalysisDataset } from './load-analysis-dataset';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './compute-trial-analytics';

/**
 * The statistician's report of a trial as the caller may see it: dataset, computed figures, the
 * tables every export is made from, the methods text and the CONSORT counts. The dataset is read
 * and the figures computed once per data state (loadAnalysisDataset, computeTrialAnalyticsCached);
 * an export of the dataset alone needs only the dataset.
 */
export async function loadTrialAnalytics({
  db,
  store,
  access,
  user,
  settings = DEFAULT_ANALYTICS_SETTINGS,
}: {
  db: DbOrTx;
  store: ContentStore;
  access: TrialAccess;
  user: SessionUser;
  settings?: AnalyticsSettings;
}) {
  const dataset = await loadAnalysisDataset({ db, store, access });
  return { dataset, ...(await analyzeTrialDataset({ db, dataset, access, user, settings })) };
}

export type LoadedTrialAnalytics = Awaited<ReturnType<typeof loadTrialAnalytics>>;
