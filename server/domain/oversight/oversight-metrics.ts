/**
 * The figures the AI's oversight dashboard watches, per site and pooled, in the order cases arrive.
 *
 * - input: the study as it reached the model (every case, both arms). Intensities are charted as SD/mean
 *   inside the extracted brain, per sequence: a scanner's gain (which z-scoring removes) does not move
 *   it, a changed contrast or noise level does. The brain volume watches the brain extraction.
 * - output: what the model produced (every case, both arms: control-arm results are stored blinded in
 *   shadow mode and count here, since they describe the AI and reveal no arm when pooled).
 * - agreement: the AI's label map against the one the clinician signed with (accepted: identical;
 *   edited: Dice and HD95 of the whole tumour; rejected cases have none). Assisted arm only, so, as below,
 *   never named.
 * - interaction: what clinicians did with the AI's proposal. Only assisted-arm cases have one, so a
 *   case listed as evidence would reveal its arm: these figures never name their cases.
 *
 * `sdFloor` is the smallest in-control SD a continuous figure's limits use (its resolution): a site
 * whose baseline cases all had 1 mm slices still gets limits, so a switch to 5 mm slices signals.
 */
export const OVERSIGHT_METRICS = {
  registration_nmi: { group: 'input', label: 'Registration NMI (mean of FLAIR, T1, T2 to T1gd)', unit: '', kind: 'continuous', sdFloor: 0.005 },
  slice_thickness_mm: { group: 'input', label: 'Thickest slice of the four sequences', unit: 'mm', kind: 'continuous', sdFloor: 0.25 },
  brain_volume_ml: { group: 'input', label: 'Extracted brain volume', unit: 'mL', kind: 'continuous', sdFloor: 20 },
  intensity_cv_flair: { group: 'input', label: 'FLAIR intensity SD/mean inside the brain', unit: '', kind: 'continuous', sdFloor: 0.01 },
  intensity_cv_t1: { group: 'input', label: 'T1 intensity SD/mean inside the brain', unit: '', kind: 'continuous', sdFloor: 0.01 },
  intensity_cv_t1gd: { group: 'input', label: 'T1gd intensity SD/mean inside the brain', unit: '', kind: 'continuous', sdFloor: 0.01 },
  intensity_cv_t2: { group: 'input', label: 'T2 intensity SD/mean inside the brain', unit: '', kind: 'continuous', sdFloor: 0.01 },
  volume_wt_ml: { group: 'output', label: 'AI whole-tumour volume', unit: 'mL', kind: 'continuous', sdFloor: 0.5 },
  volume_et_ml: { group: 'output', label: 'AI enhancing-tumour volume', unit: 'mL', kind: 'continuous', sdFloor: 0.5 },
  empty_mask: { group: 'output', label: 'AI found no tumour', unit: 'share', kind: 'binary', sdFloor: 0 },
  risk_high_grade: { group: 'output', label: "Model's risk of a high-grade tumour", unit: '', kind: 'continuous', sdFloor: 0.01 },
  agreement_dice_wt: { group: 'agreement', label: 'Dice of the AI whole tumour with the signed one (accepted: 1)', unit: 'Dice', kind: 'continuous', sdFloor: 0.01 },
  agreement_hd95_wt: { group: 'agreement', label: 'HD95 of the AI whole tumour to the signed one (accepted: 0)', unit: 'mm', kind: 'continuous', sdFloor: 0.5 },
  ai_rejected: { group: 'interaction', label: 'AI segmentation rejected', unit: 'share', kind: 'binary', sdFloor: 0 },
  ai_edited: { group: 'interaction', label: 'AI segmentation edited', unit: 'share', kind: 'binary', sdFloor: 0 },
  time_on_task_s: { group: 'interaction', label: 'Time on task (open to sign)', unit: 's', kind: 'continuous', sdFloor: 1 },
  fast_sign: { group: 'interaction', label: 'Signed faster than the threshold', unit: 'share', kind: 'binary', sdFloor: 0 },
} as const satisfies Record<string, { group: 'input' | 'output' | 'agreement' | 'interaction'; label: string; unit: string; kind: 'continuous' | 'binary'; sdFloor: number }>;

export type OversightMetric = keyof typeof OVERSIGHT_METRICS;
export const OVERSIGHT_METRIC_KEYS = Object.keys(OVERSIGHT_METRICS) as OversightMetric[];

/** Whether a metric's cases may be named to a person: not when naming them would reveal their arm. */
export function metricNamesCases(metric: OversightMetric): boolean {
  const { group } = OVERSIGHT_METRICS[metric];
  return group !== 'interaction' && group !== 'agreement';
}
