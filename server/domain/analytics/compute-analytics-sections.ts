import type { AnalysisDataset } from './analysis-dataset';
import { ANALYTICS_SECTIONS, type AnalyticsSectionName, type AnalyticsSectionValues, type SectionDependencies } from './analytics-sections';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './analytics-settings';
import { sectionContext } from './section-context';

/**
 * The named sections of the report, each computed once: `computed` holds the sections already
 * computed from this dataset and settings (a remembered report's, or an empty map) and receives
 * the new ones, so a section another one reads (survival for the interim monitoring) is not
 * computed twice. Pure apart from `computed`: the bootstraps are seeded.
 */
export function computeAnalyticsSections<K extends AnalyticsSectionName>({
  dataset,
  settings = DEFAULT_ANALYTICS_SETTINGS,
  sections,
  computed = new Map(),
}: {
  dataset: AnalysisDataset;
  settings?: AnalyticsSettings;
  sections: readonly K[];
  computed?: Map<AnalyticsSectionName, unknown>;
}): Pick<AnalyticsSectionValues, K> {
  const context = sectionContext(dataset, settings);
  const get = <N extends AnalyticsSectionName>(name: N): AnalyticsSectionValues[N] => {
    if (!computed.has(name)) computed.set(name, (ANALYTICS_SECTIONS[name] as (c: typeof context, got: SectionDependencies) => unknown)(context, dependencies));
    return computed.get(name) as AnalyticsSectionValues[N];
  };
  const dependencies: SectionDependencies = { survival: () => get('survival') };
  return Object.fromEntries(sections.map((name) => [name, get(name)])) as Pick<AnalyticsSectionValues, K>;
}
