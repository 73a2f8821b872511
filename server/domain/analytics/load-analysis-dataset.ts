import type { DbOrTx } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { TrialAccess } from '../trials/trial-access';
import type { TrialDesign } from '../trials/trial-design';
import type { AnalysisDataset } from './analysis-dataset';
import type { AnalysisSources } from './analysis-sources';
import { assembleAnalysisDataset } from './assemble-analysis-dataset';
import { clearAnalysisSourcesCache, loadAnalysisSources } from './load-analysis-sources';
import { RecentCache } from './recent-cache';

/** Datasets kept in this process: a few trials and site views, not a store. */
const cache = new RecentCache<string, AnalysisDataset>(16);

/**
 * The analysis dataset as `buildAnalysisDataset` builds it, read once per data state: the sources
 * come from loadAnalysisSources (only the parts whose tables changed are read again), and the same
 * data state with the same trial and visible sites answers the dataset assembled then (its content
 * and hash are the same; its read time is now). A statistician's pages, their PDF and each export
 * then read the trial's rows once between writes. `loaded` is the sources when the caller has
 * already read them (with `design`, the trial's parsed design).
 */
export async function loadAnalysisDataset({
  db,
  store,
  access,
  loaded,
  design,
}: {
  db: DbOrTx;
  store: ContentStore;
  access: TrialAccess;
  loaded?: { sources: AnalysisSources; key: string };
  design?: TrialDesign | null;
}): Promise<AnalysisDataset> {
  const { sources, key: version } = loaded ?? (await loadAnalysisSources({ db, trialId: access.trialId }));
  const key = `${access.trialId}|${access.siteIds === null ? '*' : [...access.siteIds].sort().join(',')}|${version}`;
  const known = cache.get(key);
  if (known) {
    return { ...known, snapshot: { sha256: known.snapshot.sha256, builtAt: new Date().toISOString() } };
  }
  const dataset = await assembleAnalysisDataset({ sources, access, store, design });
  cache.set(key, dataset);
  return dataset;
}

/** Forgets every remembered dataset and source part (benchmarks measuring a cold build). */
export function clearAnalysisDatasetCache(): void {
  cache.clear();
  clearAnalysisSourcesCache();
}
