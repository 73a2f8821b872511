import { aucDeLong } from '@/analysis/auc-delong';
import { binnedCalibrationCurve } from '@/analysis/binned-calibration-curve';
import { calibrationInterceptSlope } from '@/analysis/calibration-intercept-slope';
import type { AnalysisRow } from './analysis-dataset';
import { need, section } from './analytics-section';
import { modelScoredRows } from './model-scored-rows';
import type { SectionContext } from './section-context';

/** Model risk against histopathology at all sites, the development sites and the external ones: AUC, calibration intercept and slope, binned curve. */
export function computeModelCalibration({ dataset: { rows } }: SectionContext) {
  const scored = modelScoredRows(rows);
  const riskOf = (list: readonly AnalysisRow[]) => list.map((r) => r.modelRisk as number);
  const yOf = (list: readonly AnalysisRow[]) => list.map((r) => (r.referenceHighGrade ? 1 : 0));
  const groups = [
    { group: 'all sites', list: scored },
    { group: 'internal (development) sites', list: scored.filter((r) => !r.siteExternal) },
    { group: 'external sites', list: scored.filter((r) => r.siteExternal) },
  ];
  return groups.map(({ group, list }) => ({
    group,
    n: list.length,
    auc: section(() => aucDeLong(riskOf(list), yOf(list))),
    interceptSlope: section(() => calibrationInterceptSlope(riskOf(list), yOf(list))),
    curve: section(() => {
      need(list.length >= 10, `${list.length} scored patients (need 10)`);
      return binnedCalibrationCurve(riskOf(list), yOf(list), { bins: Math.min(10, Math.max(2, Math.floor(list.length / 10))) });
    }),
  }));
}
