import type { DbOrTx } from '../../../db/client';
import type { ContentStore } from '../../../imaging/storage/content-store';
import type { SessionUser } from '../auth/resolve-session';
import { consortCounts } from '../enrollment/consort-counts';
import { listParticipants } from '../enrollment/list-participants';
import type { TrialAccess } from '../trials/trial-access';
import { analyticsMethods } from './analytics-methods';
import { analyticsTables } from './analytics-tables';
import { buildAnalysisDataset } from './build-analysis-dataset';
import { computeTrialAnalytics, DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './compute-trial-analytics';

/**
 * The statistician's report of a trial as the caller may see it: dataset, computed figures, the
 * tables every export is made from, the methods text and the CONSORT counts.
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
  const dataset = await buildAnalysisDataset({ db, store, access });
  const participants = await listParticipants({ db, access, user });
  const consort = consortCounts({ participants, arms: dataset.arms.map((a) => ({ key: a.key, label: a.label })) });
  const report = computeTrialAnalytics({ dataset, settings });
  return { dataset, report, consort, tables: analyticsTables({ report, consort }), methods: analyticsMethods(report) };
}

export type LoadedTrialAnalytics = Awaited<ReturnType<typeof loadTrialAnalytics>>;
