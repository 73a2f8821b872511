import type { AnalysisDataset } from './analysis-dataset';
import type { AnalyticsSettings } from './analytics-settings';

/** What every section of the report computes from: the dataset, the settings and the two compared arms. */
export interface SectionContext {
  readonly dataset: AnalysisDataset;
  readonly settings: AnalyticsSettings;
  /** The first arm of the design (A) and the second (B); the report compares A with B. */
  readonly armA: string;
  readonly armB: string;
  /** The arm's label from the design, or the key for an arm the design does not name. */
  readonly label: (key: string) => string;
}

/** The context of a dataset's sections: arms default to the standard pair while the design names none. */
export function sectionContext(dataset: AnalysisDataset, settings: AnalyticsSettings): SectionContext {
  const { arms } = dataset;
  return {
    dataset,
    settings,
    armA: arms[0]?.key ?? 'ai_assisted',
    armB: arms[1]?.key ?? 'control',
    label: (key: string) => arms.find((a) => a.key === key)?.label ?? key,
  };
}
