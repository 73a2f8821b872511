import { thresholdGrid } from '@/analysis/threshold-grid';
import type { AnalyticsSettings } from './analytics-settings';

/** The decision curves' risk thresholds of the settings. */
export function analyticsThresholdGrid(settings: AnalyticsSettings): readonly number[] {
  return thresholdGrid(settings.thresholds.from, settings.thresholds.to, settings.thresholds.by);
}
