import { decisionCurve } from '@/analysis/decision-curve';
import { decisionCurveBootstrap } from '@/analysis/decision-curve-bootstrap';
import type { AnalysisRow } from './analysis-dataset';
import { need, section } from './analytics-section';
import { analyticsThresholdGrid } from './analytics-threshold-grid';
import type { SectionContext } from './section-context';

/** Decision curves per arm: model risk, clinicians' probability, clinicians' binary decision, against histopathology. */
export function computeDecisionCurves({ dataset: { rows, arms }, settings }: SectionContext) {
  const thresholds = analyticsThresholdGrid(settings);
  return arms.map((arm) => {
    const inArm = rows.filter((r) => r.arm === arm.key && r.referenceHighGrade !== null);
    const variables = [
      { name: 'model_risk', label: 'Model risk (segmentation)', value: (r: AnalysisRow) => r.modelRisk },
      { name: 'clinician_probability', label: "Clinician's stated probability", value: (r: AnalysisRow) => r.clinicianProbability },
      { name: 'clinician_decision', label: "Clinician's decision (high grade)", value: (r: AnalysisRow) => r.clinicianHighGrade },
    ];
    return {
      arm: arm.key,
      label: arm.label,
      n: inArm.length,
      /** Treat all and treat none: they need only the outcome, so they are drawn even before any read or model output. */
      baseline: section(() => decisionCurve({ outcome: inArm.map((r) => (r.referenceHighGrade ? 1 : 0)), predictors: {}, thresholds })),
      curves: variables.map((v) => {
        const used = inArm.filter((r) => v.value(r) !== null);
        return {
          variable: v.name,
          label: v.label,
          n: used.length,
          result: section(() => {
            need(used.length >= 10, `${used.length} patients with ${v.name} and a reference standard (need 10)`);
            return decisionCurveBootstrap(
              { outcome: used.map((r) => (r.referenceHighGrade ? 1 : 0)), predictors: { [v.name]: used.map((r) => v.value(r) as number) }, labels: { [v.name]: v.label }, thresholds },
              { replicates: settings.replicates, seed: settings.seed, strata: used.map((r) => r.stratum) },
            );
          }),
        };
      }),
    };
  });
}
