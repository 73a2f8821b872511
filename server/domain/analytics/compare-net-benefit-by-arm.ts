import { netBenefitDifference } from '@/analysis/net-benefit-difference';
import type { AnalysisRow } from './analysis-dataset';
import { need, section } from './analytics-section';
import { analyticsThresholdGrid } from './analytics-threshold-grid';
import type { SectionContext } from './section-context';

/** The difference in net benefit between the arms (A − B) per threshold, for each decision variable, with bootstrap intervals. */
export function compareNetBenefitByArm({ dataset: { rows }, settings, armA, armB, label }: SectionContext) {
  const thresholds = analyticsThresholdGrid(settings);
  return (['clinician_probability', 'clinician_decision', 'model_risk'] as const).map((variable) => {
    const value = (r: AnalysisRow) => (variable === 'model_risk' ? r.modelRisk : variable === 'clinician_probability' ? r.clinicianProbability : r.clinicianHighGrade);
    const armRows = (arm: string) => rows.filter((r) => r.arm === arm && r.referenceHighGrade !== null && value(r) !== null);
    const a = armRows(armA);
    const b = armRows(armB);
    return {
      variable,
      armA,
      armB,
      result: section(() => {
        need(a.length >= 10 && b.length >= 10, `${a.length} and ${b.length} patients in ${label(armA)} and ${label(armB)} (need 10 each)`);
        const arm = (list: AnalysisRow[]) => ({ outcome: list.map((r) => (r.referenceHighGrade ? 1 : 0)), risk: list.map((r) => value(r) as number), strata: list.map((r) => r.stratum) });
        return netBenefitDifference(arm(a), arm(b), { thresholds }, { replicates: settings.replicates, seed: settings.seed });
      }),
    };
  });
}
