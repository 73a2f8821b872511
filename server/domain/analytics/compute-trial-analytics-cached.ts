import { canonicalJson } from '../randomization/canonical-json';
import type { AnalysisDataset } from './analysis-dataset';
import { computeTrialAnalytics, DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings, type TrialAnalytics } from './compute-trial-analytics';

/** Reports kept in this process; a handful of trials at a few settings, not a store. */
const MAX_ENTRIES = 16;
const cache = new Map<string, TrialAnalytics>();

/**
 * `computeTrialAnalytics`, remembered by the dataset's snapshot hash and the settings: the report
 * is a pure function of both (the bootstrap is seeded), and the hash covers every row, so the
 * statistician's pages and the report's PDF (a second page load) compute it once per data state.
 * The caller's `snapshot` (its read time) is put back on the remembered report.
 */
export function computeTrialAnalyticsCached({ dataset, settings = DEFAULT_ANALYTICS_SETTINGS }: { dataset: AnalysisDataset; settings?: AnalyticsSettings }): TrialAnalytics {
  const key = `${dataset.snapshot.sha256}:${canonicalJson(JSON.parse(JSON.stringify(settings)))}`;
  let report = cache.get(key);
  if (report)
    cache.delete(key); // re-inserted below: the Map's order is the recency order
  else report = computeTrialAnalytics({ dataset, settings });
  cache.set(key, report);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return { ...report, snapshot: dataset.snapshot };
}

/** Forgets every remembered report (benchmarks and tests measuring a cold computation). */
export function clearTrialAnalyticsCache(): void {
  cache.clear();
}
