import type { TrialAnalytics } from './compute-trial-analytics';

/** The methods section of the report (page and PDF), naming every method and setting used. */
export function analyticsMethods(report: Pick<TrialAnalytics, 'settings' | 'arms'>): readonly { readonly heading: string; readonly text: string }[] {
  const s = report.settings;
  const [a, b] = [report.arms[0]?.label ?? 'arm A', report.arms[1]?.label ?? 'arm B'];
  return [
    {
      heading: 'Population',
      text: `Intention to treat: all randomized participants of the trial's current mode, analysed in the arm they were allocated to. ${a} is arm A (the numerator) and ${b} arm B throughout. Time-to-event endpoints use every participant with any follow-up contact (those without an event are censored at their last contact); participants with no contact at all are counted as missing. Binary outcomes are analysed in the complete cases of the ITT population (participants with the outcome recorded; every table names its population and the number missing), with two supportive analyses: per protocol (no withdrawal, no protocol deviation) and the whole ITT population with missing outcomes imputed at the two extremes (all 0 in arm A and 1 in arm B, then the reverse), whose risk differences bound any imputation's. Intervals are Wilson (proportions) and Newcombe (differences), valid at small n; a mean's Student t interval is clipped to the metric's range and not given for n = 1; blind-spot flags need at least 10 reference-positive cases, and forest-plot levels with fewer than ${s.minN} participants are drawn grey without an interval.`,
    },
    {
      heading: 'Arm comparison',
      text: "Per arm n/N with Wilson score intervals; risk difference with the Newcombe hybrid score interval (method 10) and the Wald interval for comparison; relative risk (Katz log interval) and odds ratio (Woolf log interval), with the Haldane–Anscombe +0.5 correction named when a zero cell forces it; Fisher exact two-sided p-value and Pearson chi-square with and without Yates' continuity correction. Stratified by the randomization strata: Mantel–Haenszel odds ratio (Robins–Breslow–Greenland interval), Mantel–Haenszel risk difference (Sato variance) and the Cochran–Mantel–Haenszel test; strata with one arm empty are left out of the stratified analysis. 95% intervals.",
    },
    {
      heading: 'Time to event',
      text: `Progression-free survival (PFS: progression by a signed RANO assessment of progressive disease, dated by its scan, or clinical progression, or death, whichever is first) and overall survival (OS: death from any cause), in months (30.4375 days) from randomization; participants without an event are censored at their last follow-up contact; participants without any contact are left out and counted as missing. Kaplan–Meier curves per arm with Greenwood variance and log-log 95% pointwise limits, numbers at risk every 3 months; medians with the Brookmeyer–Crowley interval (as R's print.survfit with conf.type = "log-log"); log-rank test unstratified and stratified by the randomization strata (survdiff); hazard ratio ${a} vs ${b} by Cox regression with Efron ties, unstratified and stratified (coxph), Wald intervals; proportional hazards checked by the score test on scaled Schoenfeld residuals against 1 − KM(t) (cox.zph); restricted mean survival time difference to ${s.survivalHorizonMonths} months (or the shorter arm's last follow-up) with a Wald interval. The primary analysis is the stratified log-rank test of PFS with the stratified hazard ratio; the binary "progression-free at 6 months" is reported as its secondary form.`,
    },
    {
      heading: 'Interim monitoring',
      text: `Group-sequential design on ${s.interim.endpoint.toUpperCase()} events: ${s.interim.informationFractions.length} looks at information fractions ${s.interim.informationFractions.map((f) => f.toFixed(3)).join(', ')}, one-sided α ${s.interim.alpha}, power ${1 - s.interim.beta} for a hazard ratio of ${s.interim.hazardRatio}, ${s.interim.spending.type === 'obf' ? "Lan–DeMets O'Brien–Fleming-type" : s.interim.spending.type === 'pocock' ? 'Lan–DeMets Pocock-type' : `Hwang–Shih–DeCani (γ = ${s.interim.spending.gamma})`} α spending, efficacy boundaries only; maximum events by Schoenfeld's formula times the inflation factor (rpact). At each look the boundary is recomputed at the observed fraction of the maximum events and compared with the stratified log-rank z (positive when ${a} has fewer events than expected).`,
    },
    {
      heading: 'Decision curves',
      text: `Net benefit against histopathology (high grade) per arm for the model's risk output, the primary reader's stated probability and the primary reader's binary decision, with treat-all and treat-none, at thresholds ${s.thresholds.from} to ${s.thresholds.to} by ${s.thresholds.by}; a patient is test-positive when risk ≥ threshold, as in the R package dcurves (net benefit = TP/n − FP/n · t/(1 − t); net interventions avoided per patient; standardized net benefit = net benefit / prevalence). Percentile bootstrap intervals from ${s.replicates} replicates (seed ${s.seed}) resampling within randomization strata; the difference in net benefit between arms resamples each arm separately. Replicates without events or non-events are dropped and counted.`,
    },
    {
      heading: 'Discrimination and calibration',
      text: 'AUC (Mann–Whitney) with the DeLong standard error; calibration intercept (calibration-in-the-large, slope fixed at 1) and slope by logistic recalibration on the logit of the risk, Wald intervals; calibration curve of observed proportions (Wilson intervals) in quantile bins of predicted risk. Reported for all sites, the development (internal) sites and the external sites separately.',
    },
    {
      heading: 'Subgroups and bias',
      text: `For each covariate level: model sensitivity and specificity at risk ≥ ${s.operatingThreshold} (Wilson), AUC (DeLong) and calibration; the sensitivity difference (Newcombe) and ratio (Katz) against a reference level (internal sites for development site, otherwise the largest level), flagged when the absolute difference exceeds ${s.disparityTolerance}; small-n flag when n < ${s.minN} or fewer than 5 events or non-events; blind-spot flag when sensitivity is below ${s.sensitivityFloor} (confirmed when its whole interval is). Arm effects per subgroup are risk differences (Newcombe) shown in forest plots; heterogeneity is tested by the arm × subgroup interaction (Wald z for two levels, Cochran's Q for more, equivalent to the saturated logistic model), with Holm and Benjamini–Hochberg adjustment across covariates. No per-subgroup p-values are reported.`,
    },
    {
      heading: 'Segmentation performance',
      text: 'Per case and region (whole tumour WT = labels 1–3, tumour core TC = 2–3, enhancing tumour ET = 3) the AI label map of the pinned model is compared with the expert reference segmentation drawn on the same study: Dice, HD95 (95th percentile of symmetric surface distances in mm, 6-connected borders, anisotropic spacing), voxelwise sensitivity and specificity. Both empty: Dice 1, HD95 0; one empty: Dice 0, HD95 infinite (counted, not averaged). Summaries: mean with Student t interval, SD, median and quartiles, for internal and external sites and per site.',
    },
    {
      heading: 'Human–AI interaction',
      text: 'Per arm, reader and site: accept / edit / reject rates of the AI proposal among reviews shown one (Wilson), time from first opening the case to signing, and the whole-tumour Dice between the AI proposal and the mask signed with (1 when accepted).',
    },
    {
      heading: 'Reproducibility',
      text: 'Every figure is computed by the analysis/ module of SegTrial, checked against R and SciPy reference values. Each export carries the SHA-256 of the analysis dataset it came from and the time it was read; the same hash means the same data. The CSV exports use R spellings (NA, TRUE/FALSE, Inf) so read.csv reads them back, and the decision-curve CSV has the columns of dcurves::dca().',
    },
  ];
}
