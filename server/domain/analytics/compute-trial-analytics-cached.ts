import { canonicalJson } from '../randomization/canonical-json';
import type { AnalysisDataset } from './analysis-dataset';
import { ANALYTICS_SECTION_NAMES, type AnalyticsSectionName } from './analytics-sections';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './analytics-settings';
import { computeAnalyticsSections } from './compute-analytics-sections';
import { RecentCache } from './recent-cache';
import { reportHeader, type PartialTrialAnalytics, type TrialAnalytics } from './compute-trial-analytics';

/** Data states remembered in this process; a handful of trials at a few settings, not a store. */
const cache = new RecentCache<string, Map<AnalyticsSectionName, unknown>>(16);

/**
 * The named sections of the report with its header, each section remembered by the dataset's
 * snapshot hash and the settings: a section is a pure function of both (the bootstraps are seeded),
 * and the hash covers every row, so the statistician's pages, the report's PDF (a second page load)
 * and each export compute a section once per data state, and a table export computes only the
 * sections its table reads. The header carries the caller's `snapshot` (its read time).
 */
export function computeTrialSectionsCached<K extends AnalyticsSectionName>({
  dataset,
  settings = DEFAULT_ANALYTICS_SETTINGS,
  sections,
}: {
  dataset: AnalysisDataset;
  settings?: AnalyticsSettings;
  sections: readonly K[];
}): PartialTrialAnalytics<K> {
  const key = `${dataset.snapshot.sha256}:${canonicalJson(JSON.parse(JSON.stringify(settings)))}`;
  let computed = cache.get(key);
  if (!computed) cache.set(key, (computed = new Map<AnalyticsSectionName, unknown>()));
  return { ...reportHeader(dataset, settings), ...computeAnalyticsSections({ dataset, settings, sections, computed }) };
}

/** The whole report (`computeTrialAnalytics`), each section remembered as computeTrialSectionsCached does. */
export function computeTrialAnalyticsCached({ dataset, settings = DEFAULT_ANALYTICS_SETTINGS }: { dataset: AnalysisDataset; settings?: AnalyticsSettings }): TrialAnalytics {
  return computeTrialSectionsCached({ dataset, settings, sections: ANALYTICS_SECTION_NAMES });
}

/** Forgets every remembered section (benchmarks and tests measuring a cold computation). */
export function clearTrialAnalyticsCache(): void {
  cache.clear();
}
