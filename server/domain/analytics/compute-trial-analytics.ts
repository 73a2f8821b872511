import { aucDeLong } from '../../../analysis/auc-delong';
import { binnedCalibrationCurve } from '../../../analysis/binned-calibration-curve';
import { calibrationInterceptSlope } from '../../../analysis/calibration-intercept-slope';
import { compareArms } from '../../../analysis/compare-arms';
import { compareArmsByProtocolVersion } from './compare-arms-by-protocol-version';
import { decisionCurve } from '../../../analysis/decision-curve';
import { decisionCurveBootstrap } from '../../../analysis/decision-curve-bootstrap';
import { AnalysisInputError } from '../../../analysis/errors';
import { netBenefitDifference } from '../../../analysis/net-benefit-difference';
import { subgroupArmEffects } from '../../../analysis/subgroup-arm-effects';
import { subgroupModelPerformance } from '../../../analysis/subgroup-model-performance';
import { summarizeReviewActions } from '../../../analysis/summarize-review-actions';
import { summarizeValues } from '../../../analysis/summarize-values';
import { thresholdGrid } from '../../../analysis/threshold-grid';
import { TUMOR_REGIONS, type TumorRegion } from '../../../imaging/metrics/region-masks';
import type { AnalysisDataset, AnalysisRow } from './analysis-dataset';
import { computeInterimMonitoring, DEFAULT_INTERIM_PLAN, type InterimPlan } from './compute-interim-monitoring';
import { computeSurvivalAnalytics } from './compute-survival-analytics';
import { computeSurvivalDecisionCurve } from './compute-survival-decision-curve';

/** A section is computed, or says why not (too few patients, no events …): never a faked figure. */
export type Section<T> = { readonly available: true; readonly value: T } | { readonly available: false; readonly reason: string };

function section<T>(compute: () => T): Section<T> {
  try {
    return { available: true, value: compute() };
  } catch (error) {
    if (error instanceof AnalysisInputError || error instanceof NotEnoughData)
      return { available: false, reason: error instanceof AnalysisInputError ? `${error.code}: ${error.message}` : error.message };
    throw error;
  }
}

class NotEnoughData extends Error {}
function need(condition: boolean, reason: string): void {
  if (!condition) throw new NotEnoughData(reason);
}

export interface AnalyticsSettings {
  /** Bootstrap replicates for decision-curve intervals. */
  readonly replicates: number;
  readonly seed: number;
  /** Threshold grid of the decision curves. */
  readonly thresholds: { readonly from: number; readonly to: number; readonly by: number };
  /** Risk threshold at which the model counts as test-positive for sensitivity/specificity. */
  readonly operatingThreshold: number;
  readonly sensitivityFloor: number;
  readonly disparityTolerance: number;
  readonly minN: number;
  /** Horizon of the restricted mean survival time, in months. */
  readonly survivalHorizonMonths: number;
  /** Group-sequential monitoring of the primary time-to-event endpoint. */
  readonly interim: InterimPlan;
}

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = {
  replicates: 500,
  seed: 20261201,
  thresholds: { from: 0.01, to: 0.99, by: 0.01 },
  operatingThreshold: 0.5,
  sensitivityFloor: 0.8,
  disparityTolerance: 0.1,
  minN: 30,
  survivalHorizonMonths: 12,
  interim: DEFAULT_INTERIM_PLAN,
};

/** The binary outcomes compared between arms; the first is the trial's primary outcome. */
export const ARM_OUTCOMES = [
  {
    key: 'progression_free_6m',
    label: 'Progression-free at 6 months (binary form of the primary endpoint)',
    value: (r: AnalysisRow) => (r.progressionFree6m === null ? null : r.progressionFree6m ? 1 : 0),
  },
  { key: 'clinician_correct', label: "Primary reader's grade agrees with histopathology (secondary)", value: (r: AnalysisRow) => r.clinicianCorrect },
  {
    key: 'high_grade_detected',
    label: 'High-grade tumour suspected among reference high-grade (secondary: sensitivity)',
    value: (r: AnalysisRow) => (r.referenceHighGrade === true && r.clinicianHighGrade !== null ? r.clinicianHighGrade : null),
  },
] as const;

/** Covariates of the subgroup report: name → level per row. */
function covariateLevels(rows: readonly AnalysisRow[], factors: readonly string[]): Record<string, (string | null)[]> {
  const out: Record<string, (string | null)[]> = {
    sex: rows.map((r) => r.sex),
    site: rows.map((r) => r.site),
    scanner_vendor: rows.map((r) => r.scannerVendor),
    field_strength: rows.map((r) => r.fieldStrength),
    development_site: rows.map((r) => (r.siteExternal ? 'external' : 'internal')),
  };
  for (const f of factors) out[f] = rows.map((r) => r.levels[f] ?? null);
  // One intersection by default: a model can fail one sex at the external site only.
  out['sex × development_site'] = rows.map((r) => (r.sex === null ? null : `${r.sex} · ${r.siteExternal ? 'external' : 'internal'}`));
  return out;
}

const pick = <T>(rows: readonly T[], keep: readonly boolean[]) => rows.filter((_, i) => keep[i]);

/**
 * Every figure of the statistician's report from the analysis dataset, each section computed by the
 * analysis/ functions or marked unavailable with the reason. Pure: the same dataset and settings give
 * the same report (the bootstrap is seeded).
 */
export function computeTrialAnalytics({ dataset, settings = DEFAULT_ANALYTICS_SETTINGS }: { dataset: AnalysisDataset; settings?: AnalyticsSettings }) {
  const { rows, arms } = dataset;
  const [armA, armB] = [arms[0]?.key ?? 'ai_assisted', arms[1]?.key ?? 'control'];
  const label = (key: string) => arms.find((a) => a.key === key)?.label ?? key;
  const thresholds = thresholdGrid(settings.thresholds.from, settings.thresholds.to, settings.thresholds.by);
  const covariates = covariateLevels(rows, dataset.factors);

  const armComparisons = ARM_OUTCOMES.map((o) => {
    const values = rows.map(o.value);
    return {
      outcome: o.key,
      label: o.label,
      result: section(() => {
        const count = (arm: string) => {
          const v = rows.map((r, i) => (r.arm === arm ? values[i] : null)).filter((x): x is number => x !== null && x !== undefined);
          return { events: v.reduce((s, x) => s + x, 0), n: v.length };
        };
        const a = count(armA);
        const b = count(armB);
        need(a.n > 0 && b.n > 0, `no ${o.key} recorded in ${a.n === 0 ? label(armA) : label(armB)}`);
        const strataKeys = [...new Set(rows.map((r) => r.stratum))].sort();
        const strata = strataKeys
          .map((key) => {
            const inStratum = (arm: string) => {
              const v = rows.map((r, i) => (r.arm === arm && r.stratum === key ? values[i] : null)).filter((x): x is number => x !== null && x !== undefined);
              return { events: v.reduce((s, x) => s + x, 0), n: v.length };
            };
            const sa = inStratum(armA);
            const sb = inStratum(armB);
            return { stratum: key, eventsA: sa.events, nA: sa.n, eventsB: sb.events, nB: sb.n };
          })
          // Strata with one arm empty carry no information for Mantel–Haenszel.
          .filter((s) => s.nA > 0 && s.nB > 0);
        const sum = (k: 'eventsA' | 'nA' | 'eventsB' | 'nB') => strata.reduce((acc, s) => acc + s[k], 0);
        const stratified = strata.length > 0 ? compareArms({ eventsA: sum('eventsA'), nA: sum('nA'), eventsB: sum('eventsB'), nB: sum('nB') }, { strata }) : null;
        // Supportive populations: per protocol (no withdrawal, no protocol deviation; complete cases),
        // and the whole ITT population with missing outcomes set to the extremes (arm A all 0 and
        // arm B all 1, then the reverse): the risk difference of any imputation lies between them.
        const perProtocol = (arm: string) => {
          const v = rows.map((r, i) => (r.arm === arm && !r.withdrawn && !r.protocolDeviation ? values[i] : null)).filter((x): x is number => x !== null && x !== undefined);
          return { events: v.reduce((s, x) => s + x, 0), n: v.length };
        };
        const randomizedIn = (arm: string) => rows.filter((r) => r.arm === arm).length;
        const ppA = perProtocol(armA);
        const ppB = perProtocol(armB);
        const missingA = randomizedIn(armA) - a.n;
        const missingB = randomizedIn(armB) - b.n;
        const extreme = (aFill: 0 | 1) => compareArms({ eventsA: a.events + aFill * missingA, nA: a.n + missingA, eventsB: b.events + (1 - aFill) * missingB, nB: b.n + missingB });
        const riskDifference = (c: ReturnType<typeof compareArms>) => c.estimates.find((e) => e.measure === 'risk difference' && e.method.startsWith('Newcombe')) ?? null;
        return {
          population: `Complete cases of the intention-to-treat population: randomized participants with ${o.key} recorded (${a.n + b.n} of ${randomizedIn(armA) + randomizedIn(armB)}; ${missingA + missingB} missing)`,
          missing: { armA: missingA, armB: missingB },
          supportive: [
            {
              population: `Per protocol: no withdrawal or protocol deviation, outcome recorded (${ppA.n + ppB.n})`,
              riskDifference: section(() => riskDifference(compareArms({ eventsA: ppA.events, nA: ppA.n, eventsB: ppB.events, nB: ppB.n }))),
            },
            { population: `ITT, missing outcomes imputed as 0 in ${label(armA)} and 1 in ${label(armB)} (extreme case)`, riskDifference: section(() => riskDifference(extreme(0))) },
            { population: `ITT, missing outcomes imputed as 1 in ${label(armA)} and 0 in ${label(armB)} (extreme case)`, riskDifference: section(() => riskDifference(extreme(1))) },
          ],
          armA: { key: armA, label: label(armA), ...a },
          armB: { key: armB, label: label(armB), ...b },
          crude: compareArms({ eventsA: a.events, nA: a.n, eventsB: b.events, nB: b.n }),
          stratified: stratified ? { strata, comparison: stratified, patients: sum('nA') + sum('nB') } : null,
        };
      }),
    };
  });

  // Decision curves per arm: model risk, clinicians' probability, clinicians' binary decision, against histopathology.
  const decisionCurves = arms.map((arm) => {
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

  const decisionCurveDifferences = (['clinician_probability', 'clinician_decision', 'model_risk'] as const).map((variable) => {
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

  // Model risk against histopathology: discrimination, calibration, subgroups.
  const scored = rows.filter((r) => r.modelRisk !== null && r.referenceHighGrade !== null);
  const riskOf = (list: readonly AnalysisRow[]) => list.map((r) => r.modelRisk as number);
  const yOf = (list: readonly AnalysisRow[]) => list.map((r) => (r.referenceHighGrade ? 1 : 0));
  const groupsForCalibration = [
    { group: 'all sites', list: scored },
    { group: 'internal (development) sites', list: scored.filter((r) => !r.siteExternal) },
    { group: 'external sites', list: scored.filter((r) => r.siteExternal) },
  ];
  const calibration = groupsForCalibration.map(({ group, list }) => ({
    group,
    n: list.length,
    auc: section(() => aucDeLong(riskOf(list), yOf(list))),
    interceptSlope: section(() => calibrationInterceptSlope(riskOf(list), yOf(list))),
    curve: section(() => {
      need(list.length >= 10, `${list.length} scored patients (need 10)`);
      return binnedCalibrationCurve(riskOf(list), yOf(list), { bins: Math.min(10, Math.max(2, Math.floor(list.length / 10))) });
    }),
  }));

  const scoredCovariates = covariateLevels(scored, dataset.factors);
  const modelSubgroups = Object.entries(scoredCovariates).map(([covariate, levels]) => ({
    covariate,
    result: section(() =>
      subgroupModelPerformance({
        outcome: yOf(scored),
        risk: riskOf(scored),
        levels,
        threshold: settings.operatingThreshold,
        reference: covariate === 'development_site' && levels.includes('internal') ? 'internal' : undefined,
        sensitivityFloor: settings.sensitivityFloor,
        disparityTolerance: settings.disparityTolerance,
        minN: settings.minN,
      }),
    ),
  }));

  // Arm effect per subgroup (forest plots) for the primary outcome and reader accuracy.
  const forest = ARM_OUTCOMES.slice(0, 2).map((o) => {
    const values = rows.map(o.value);
    const keep = values.map((v) => v !== null && v !== undefined);
    const kept = pick(rows, keep);
    return {
      outcome: o.key,
      label: o.label,
      result: section(() => {
        need(kept.length > 0, `no ${o.key} recorded`);
        const cov = Object.fromEntries(Object.entries(covariates).map(([k, v]) => [k, pick(v, keep)]));
        return subgroupArmEffects({ outcome: pick(values, keep) as number[], arm: kept.map((r) => r.arm), armA, armB, covariates: cov, minN: settings.minN });
      }),
    };
  });

  // Segmentation performance per region: internal vs external, and per site.
  const withMetrics = rows.filter((r) => r.segmentation !== null);
  const regions = Object.keys(TUMOR_REGIONS) as TumorRegion[];
  const metricNames = ['dice', 'hd95', 'sensitivity', 'specificity'] as const;
  const segmentationGroups = [
    ...[false, true].map((external) => ({ group: external ? 'external' : 'internal', list: withMetrics.filter((r) => r.siteExternal === external) })),
    ...dataset.sites.map((s) => ({ group: `site ${s.code}`, list: withMetrics.filter((r) => r.site === s.code) })),
  ];
  const segmentation = {
    cases: withMetrics.map((r) => ({ studyId: r.studyId, site: r.site, external: r.siteExternal, arm: r.arm, metrics: r.segmentation! })),
    summaries: segmentationGroups.map(({ group, list }) => ({
      group,
      n: list.length,
      regions: regions.map((region) => ({
        region,
        metrics: metricNames.map((metric) => ({
          metric,
          summary: section(() =>
            summarizeValues(
              list.map((r) => r.segmentation![region][metric]),
              0.95,
              { range: metric === 'hd95' ? [0, Infinity] : [0, 1] },
            ),
          ),
        })),
      })),
    })),
  };

  const readerRows = dataset.readers;
  const interaction = (['arm', 'reader', 'site'] as const).map((by) => ({
    by,
    result: section(() =>
      summarizeReviewActions(
        readerRows.map((r) => ({ group: by === 'arm' ? label(r.arm) : r[by], action: r.aiAction, secondsToDecision: r.secondsToDecision, diceProposalToFinal: r.diceProposalToFinal })),
      ),
    ),
  }));

  const perSite = dataset.sites.map((s) => {
    const at = rows.filter((r) => r.site === s.code);
    return {
      site: s.code,
      name: s.name,
      external: s.isExternal,
      arms: arms.map((arm) => {
        const list = at.filter((r) => r.arm === arm.key);
        const pf = list.filter((r) => r.progressionFree6m !== null);
        return {
          arm: arm.key,
          randomized: list.length,
          withOutcome: pf.length,
          progressionFree: pf.filter((r) => r.progressionFree6m).length,
          referenceHighGrade: list.filter((r) => r.referenceHighGrade === true).length,
          modelScored: list.filter((r) => r.modelRisk !== null).length,
          withReferenceSegmentation: list.filter((r) => r.segmentation !== null).length,
          read: list.filter((r) => r.readerCount > 0).length,
        };
      }),
    };
  });

  const survival = computeSurvivalAnalytics({ rows, armA, armB, labelOf: label, horizonMonths: settings.survivalHorizonMonths });

  return {
    snapshot: dataset.snapshot,
    trial: dataset.trial,
    arms,
    model: dataset.model,
    settings,
    counts: {
      randomized: rows.length,
      withPrimaryOutcome: rows.filter((r) => r.progressionFree6m !== null).length,
      modelScored: scored.length,
      withReferenceSegmentation: withMetrics.length,
      decisions: readerRows.length,
    },
    armComparisons,
    survival,
    interim: computeInterimMonitoring({ plan: settings.interim, survival }),
    // Net benefit of treating by model risk against progression or death by 6 months (dcurves' time =).
    survivalDecisionCurve: computeSurvivalDecisionCurve({ rows, arms, horizonMonths: 6, thresholds: Array.from({ length: 19 }, (_, k) => (k + 1) / 20), replicates: settings.replicates, seed: settings.seed }),
    decisionCurves,
    decisionCurveDifferences,
    calibration,
    modelSubgroups,
    forest,
    segmentation,
    interaction,
    perSite,
    byProtocolVersion: compareArmsByProtocolVersion({ rows, armA, armB }),
  };
}

export type TrialAnalytics = ReturnType<typeof computeTrialAnalytics>;
