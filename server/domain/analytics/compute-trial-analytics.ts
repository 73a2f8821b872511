import type { AnalysisDataset } from './analysis-dataset';
import { ANALYTICS_SECTION_NAMES, type AnalyticsSectionName, type AnalyticsSectionValues } from './analytics-sections';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './analytics-settings';
import { computeAnalyticsSections } from './compute-analytics-sections';

export type { Section } from './analytics-section';
export { ARM_OUTCOMES } from './arm-outcomes';
export { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from './analytics-settings';

/** What every report (whole or in part) carries besides its sections: the data it came from and the settings. */
export function reportHeader(dataset: AnalysisDataset, settings: AnalyticsSettings) {
  return { snapshot: dataset.snapshot, trial: dataset.trial, arms: dataset.arms, model: dataset.model, settings };
}
export type ReportHeader = ReturnType<typeof reportHeader>;

/** A report holding only some sections (an export's), with the header every report carries. */
export type PartialTrialAnalytics<K extends AnalyticsSectionName> = ReportHeader & Pick<AnalyticsSectionValues, K>;

/**
 * Every figure of the statistician's report from the analysis dataset: the header and every section
 * of ANALYTICS_SECTIONS, each computed by its own function (analysis/ underneath) or marked
 * unavailable with the reason. Pure: the same dataset and settings give the same report (the
 * bootstrap is seeded). An export computes only its sections (computeAnalyticsSections).
 */
export function computeTrialAnalytics({ dataset, settings = DEFAULT_ANALYTICS_SETTINGS }: { dataset: AnalysisDataset; settings?: AnalyticsSettings }) {
  return { ...reportHeader(dataset, settings), ...computeAnalyticsSections({ dataset, settings, sections: ANALYTICS_SECTION_NAMES }) };
}

export type TrialAnalytics = ReturnType<typeof computeTrialAnalytics>;
