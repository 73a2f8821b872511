import type { ConsortCounts } from '../enrollment/consort-counts';
import type { AnalyticsSectionName } from './analytics-sections';
import type { PartialTrialAnalytics, TrialAnalytics } from './compute-trial-analytics';
import { multipleImputationTable } from './multiple-imputation-table';

export type Cell = string | number | boolean | null;
export interface Table {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** The dcurves columns, in dcurves' order (cli/commands/dca.ts prints the same). */
export const DCURVES_COLUMNS = [
  'variable',
  'label',
  'n',
  'threshold',
  'pos_rate',
  'tp_rate',
  'fp_rate',
  'harm',
  'net_benefit',
  'net_intervention_avoided',
  'standardized_net_benefit',
  'net_benefit_lower',
  'net_benefit_upper',
] as const;

const REGIONS = ['WT', 'TC', 'ET'] as const;

const iv = (x: { estimate: number; lower: number; upper: number } | null | undefined): Cell[] => (x ? [x.estimate, x.lower, x.upper] : [null, null, null]);

/**
 * One table of the report: the sections it is made from (an export of it computes only those) and
 * whether it needs the CONSORT counts (a read of the participants).
 */
export interface AnalyticsTableSpec<K extends AnalyticsSectionName = AnalyticsSectionName> {
  readonly name: string;
  readonly sections: readonly K[];
  readonly consort?: true;
  readonly build: (report: PartialTrialAnalytics<K>, consort: ConsortCounts) => Table;
}

// Infers each spec's sections, so its build reads only those sections of the report (checked by the compiler).
const spec = <K extends AnalyticsSectionName>(s: AnalyticsTableSpec<K>): AnalyticsTableSpec => s;

type ArmComparisons = TrialAnalytics['armComparisons'];

function armCountRows(comparisons: ArmComparisons): Cell[][] {
  const rows: Cell[][] = [];
  for (const c of comparisons) {
    if (!c.result.available) continue;
    const v = c.result.value;
    for (const arm of [v.crude.arms.A, v.crude.arms.B]) rows.push([c.outcome, arm === v.crude.arms.A ? v.armA.label : v.armB.label, arm.events, arm.n, arm.estimate, arm.lower, arm.upper, arm.method]);
  }
  return rows;
}

function armEffectRows(comparisons: ArmComparisons): Cell[][] {
  const effectRows: Cell[][] = [];
  for (const c of comparisons) {
    if (!c.result.available) continue;
    const v = c.result.value;
    const push = (analysis: string, comparison: typeof v.crude) => {
      for (const e of comparison.estimates) effectRows.push([c.outcome, analysis, e.measure, e.method, e.estimate, e.lower, e.upper, null, e.correction, e.stratified]);
      for (const t of comparison.tests) effectRows.push([c.outcome, analysis, 'test', t.method, t.statistic, null, null, t.pValue, 'none', t.stratified]);
      for (const n of comparison.notComputed) effectRows.push([c.outcome, analysis, 'not computed', n.method, null, null, null, null, n.reason, null]);
    };
    push(`crude; ${v.population}`, v.crude);
    if (v.stratified) push(`stratified by randomization stratum (${v.stratified.strata.length} strata); ${v.population}`, v.stratified.comparison);
    for (const sup of v.supportive) {
      if (sup.riskDifference.available && sup.riskDifference.value) {
        const e = sup.riskDifference.value;
        effectRows.push([c.outcome, `supportive; ${sup.population}`, e.measure, e.method, e.estimate, e.lower, e.upper, null, e.correction, false]);
      }
    }
  }
  return effectRows;
}

/**
 * Every table of the report, in the report's order: the one source of the pages' tables, the CSV
 * and JSON exports and the PDF. Unavailable sections contribute no rows (their reason is in the
 * report). A new table is one spec here naming the sections it reads.
 */
export const ANALYTICS_TABLES: readonly AnalyticsTableSpec[] = [
  spec({
    name: 'consort',
    sections: [],
    consort: true,
    build: (_report, consort) => ({
      name: 'consort',
      title: 'CONSORT flow',
      columns: ['stage', 'arm', 'n'],
      rows: [
        ['assessed for eligibility', null, consort.assessed],
        ['excluded', null, consort.excluded],
        ...consort.exclusionReasons.map((r): Cell[] => [`excluded: ${r.label}`, null, r.n]),
        ['awaiting randomization', null, consort.awaitingRandomization],
        ['randomized', null, consort.randomized],
        ...consort.arms.flatMap((a): Cell[][] => [
          ['allocated', a.label, a.allocated],
          ['withdrawn', a.label, a.withdrawn],
          ['lost to follow-up', a.label, a.lostToFollowUp],
          ['protocol deviations', a.label, a.protocolDeviations],
          ['analysed', a.label, a.analysed],
        ]),
      ],
    }),
  }),
  spec({
    name: 'arm_counts',
    sections: ['armComparisons'],
    build: (report) => ({
      name: 'arm_counts',
      title: 'Outcomes by arm',
      columns: ['outcome', 'arm', 'events', 'n', 'proportion', 'lower', 'upper', 'method'],
      rows: armCountRows(report.armComparisons),
    }),
  }),
  spec({
    name: 'arm_comparison_by_protocol_version',
    sections: ['byProtocolVersion'],
    build: (report) => ({
      name: 'arm_comparison_by_protocol_version',
      title: `Progression-free at 6 months by protocol version (${report.byProtocolVersion.population})`,
      columns: ['protocol_version', 'arm', 'randomized', 'events', 'n', 'risk_difference', 'lower', 'upper', 'method'],
      rows: report.byProtocolVersion.versions.flatMap((v): Cell[][] => {
        const rd = v.riskDifference.available ? v.riskDifference.value : null;
        return [
          [v.version, report.arms[0]?.key ?? null, v.armA.randomized, v.armA.events, v.armA.n, rd?.estimate ?? null, rd?.lower ?? null, rd?.upper ?? null, rd?.method ?? null],
          [v.version, report.arms[1]?.key ?? null, v.armB.randomized, v.armB.events, v.armB.n, null, null, null, null],
        ];
      }),
    }),
  }),
  spec({
    name: 'arm_comparison',
    sections: ['armComparisons'],
    build: (report) => ({
      name: 'arm_comparison',
      title: 'Arm comparison (A vs B, A first arm)',
      columns: ['outcome', 'analysis', 'measure', 'method', 'estimate', 'lower', 'upper', 'p_value', 'correction', 'stratified'],
      rows: armEffectRows(report.armComparisons),
    }),
  }),
  spec({
    name: 'decision_curves',
    sections: ['decisionCurves'],
    build: (report) => ({
      name: 'decision_curves',
      title: 'Decision curves (dcurves columns) per arm and variable',
      columns: ['arm', 'analysis', ...DCURVES_COLUMNS],
      rows: decisionCurveRows(report),
    }),
  }),
  spec({
    name: 'net_benefit_difference',
    sections: ['decisionCurveDifferences'],
    build: (report) => ({
      name: 'net_benefit_difference',
      title: 'Difference in net benefit between arms',
      columns: ['variable', 'arm_a', 'arm_b', 'threshold', 'net_benefit_a', 'net_benefit_b', 'difference', 'difference_lower', 'difference_upper'],
      rows: report.decisionCurveDifferences.flatMap((d) =>
        d.result.available ? d.result.value.map((r): Cell[] => [d.variable, d.armA, d.armB, r.threshold, r.net_benefit_a, r.net_benefit_b, r.difference, r.difference_lower, r.difference_upper]) : [],
      ),
    }),
  }),
  spec({
    name: 'calibration',
    sections: ['calibration'],
    build: (report) => ({
      name: 'calibration',
      title: 'Model risk: discrimination and calibration',
      columns: ['group', 'n', 'auc', 'auc_lower', 'auc_upper', 'calibration_intercept', 'intercept_lower', 'intercept_upper', 'calibration_slope', 'slope_lower', 'slope_upper'],
      rows: report.calibration.map((c): Cell[] => [
        c.group,
        c.n,
        ...(c.auc.available ? [c.auc.value.auc, c.auc.value.lower, c.auc.value.upper] : [null, null, null]),
        ...iv(c.interceptSlope.available ? c.interceptSlope.value.intercept : null),
        ...iv(c.interceptSlope.available ? c.interceptSlope.value.slope : null),
      ]),
    }),
  }),
  spec({
    name: 'calibration_bins',
    sections: ['calibration'],
    build: (report) => ({
      name: 'calibration_bins',
      title: 'Calibration curve (quantile bins)',
      columns: ['group', 'bin', 'n', 'events', 'mean_predicted', 'observed', 'observed_lower', 'observed_upper'],
      rows: report.calibration.flatMap((c) =>
        c.curve.available ? c.curve.value.map((b): Cell[] => [c.group, b.bin, b.n, b.events, b.meanPredicted, b.observed, b.observedLower, b.observedUpper]) : [],
      ),
    }),
  }),
  spec({
    name: 'model_subgroups',
    sections: ['modelSubgroups'],
    build: (report) => ({
      name: 'model_subgroups',
      title: `Model performance by subgroup (test-positive: risk ≥ ${report.settings.operatingThreshold})`,
      columns: [
        'covariate',
        'level',
        'reference',
        'n',
        'events',
        'sensitivity',
        'sensitivity_lower',
        'sensitivity_upper',
        'specificity',
        'specificity_lower',
        'specificity_upper',
        'auc',
        'auc_lower',
        'auc_upper',
        'calibration_slope',
        'sensitivity_difference',
        'difference_lower',
        'difference_upper',
        'sensitivity_ratio',
        'ratio_lower',
        'ratio_upper',
        'disparity_flag',
        'small_n_flag',
        'blind_spot',
        'blind_spot_confirmed',
        'not_computed',
      ],
      rows: report.modelSubgroups.flatMap((s) =>
        s.result.available
          ? s.result.value.levels.map((l): Cell[] => [
              s.covariate,
              l.level,
              s.result.available ? s.result.value.reference : null,
              l.n,
              l.events,
              ...iv(l.sensitivity),
              ...iv(l.specificity),
              ...(l.auc ? [l.auc.auc, l.auc.lower, l.auc.upper] : [null, null, null]),
              l.calibration?.slope.estimate ?? null,
              ...iv(l.sensitivityDisparity?.difference),
              ...iv(l.sensitivityDisparity?.ratio),
              l.disparityFlag,
              l.smallSample.flagged,
              l.blindSpot?.flagged ?? null,
              l.blindSpot?.confirmed ?? null,
              l.notComputed.map((n) => n.figure).join('; '),
            ])
          : [],
      ),
    }),
  }),
  spec({
    name: 'forest',
    sections: ['forest'],
    build: (report) => ({
      name: 'forest',
      title: 'Arm effect by subgroup (risk difference A − B, Newcombe) with interaction tests',
      columns: ['outcome', 'covariate', 'level', 'events_a', 'n_a', 'events_b', 'n_b', 'risk_difference', 'lower', 'upper', 'small_n_flag', 'interaction_p', 'interaction_method', 'p_holm', 'p_bh'],
      rows: report.forest.flatMap((f) =>
        f.result.available
          ? f.result.value.flatMap((c) =>
              c.levels.map((l): Cell[] => [
                f.outcome,
                c.covariate,
                l.level,
                l.armA?.events ?? 0,
                l.armA?.n ?? 0,
                l.armB?.events ?? 0,
                l.armB?.n ?? 0,
                ...iv(l.riskDifference),
                l.smallSample.flagged,
                c.interaction?.pValue ?? null,
                c.interaction?.method ?? c.interactionNotComputed,
                c.pHolm,
                c.pBenjaminiHochberg,
              ]),
            )
          : [],
      ),
    }),
  }),
  spec({
    name: 'segmentation_cases',
    sections: ['segmentation'],
    build: (report) => ({
      name: 'segmentation_cases',
      title: 'Segmentation metrics per case (AI vs expert reference)',
      columns: ['study_id', 'site', 'external', 'arm', ...REGIONS.flatMap((r) => [`${r}_dice`, `${r}_hd95_mm`, `${r}_sensitivity`, `${r}_specificity`])],
      rows: report.segmentation.cases.map((c): Cell[] => [
        c.studyId,
        c.site,
        c.external,
        c.arm,
        ...REGIONS.flatMap((r) => [c.metrics[r].dice, c.metrics[r].hd95, c.metrics[r].sensitivity, c.metrics[r].specificity]),
      ]),
    }),
  }),
  spec({
    name: 'segmentation_summary',
    sections: ['segmentation'],
    build: (report) => ({
      name: 'segmentation_summary',
      title: 'Segmentation performance: internal vs external sites, per site',
      columns: ['group', 'region', 'metric', 'n', 'non_finite', 'mean', 'mean_lower', 'mean_upper', 'sd', 'median', 'q1', 'q3'],
      rows: report.segmentation.summaries.flatMap((g) =>
        g.regions.flatMap((r) =>
          r.metrics.flatMap((m) =>
            m.summary.available
              ? [
                  [
                    g.group,
                    r.region,
                    m.metric,
                    m.summary.value.n,
                    m.summary.value.nonFinite,
                    m.summary.value.mean,
                    m.summary.value.meanLower,
                    m.summary.value.meanUpper,
                    m.summary.value.sd,
                    m.summary.value.median,
                    m.summary.value.q1,
                    m.summary.value.q3,
                  ] as Cell[],
                ]
              : [],
          ),
        ),
      ),
    }),
  }),
  spec({
    name: 'human_ai_interaction',
    sections: ['interaction'],
    build: (report) => ({
      name: 'human_ai_interaction',
      title: 'Human–AI interaction (accept / edit / reject, time to decision, Dice proposal→final)',
      columns: [
        'by',
        'group',
        'n',
        'with_ai_proposal',
        'accepted',
        'accepted_lower',
        'accepted_upper',
        'edited',
        'edited_lower',
        'edited_upper',
        'rejected',
        'rejected_lower',
        'rejected_upper',
        'median_seconds',
        'q1_seconds',
        'q3_seconds',
        'mean_dice_proposal_final',
      ],
      rows: report.interaction.flatMap((i) =>
        i.result.available
          ? i.result.value.map((g): Cell[] => [
              i.by,
              g.group,
              g.n,
              g.withProposal,
              ...iv(g.accepted),
              ...iv(g.edited),
              ...iv(g.rejected),
              g.secondsToDecision?.median ?? null,
              g.secondsToDecision?.q1 ?? null,
              g.secondsToDecision?.q3 ?? null,
              g.diceProposalToFinal?.mean ?? null,
            ])
          : [],
      ),
    }),
  }),
  spec({
    name: 'per_site',
    sections: ['perSite'],
    build: (report) => ({
      name: 'per_site',
      title: 'Per site and arm',
      columns: ['site', 'external', 'arm', 'randomized', 'with_primary_outcome', 'progression_free_6m', 'reference_high_grade', 'model_scored', 'with_reference_segmentation', 'read_by_clinician'],
      rows: report.perSite.flatMap((s) =>
        s.arms.map((a): Cell[] => [s.site, s.external, a.arm, a.randomized, a.withOutcome, a.progressionFree, a.referenceHighGrade, a.modelScored, a.withReferenceSegmentation, a.read]),
      ),
    }),
  }),
  spec({ name: 'multiple_imputation', sections: ['multipleImputation'], build: (report) => multipleImputationTable(report.multipleImputation) }),
];

/** Every table of a whole report. */
export function analyticsTables({ report, consort }: { report: TrialAnalytics; consort: ConsortCounts }): readonly Table[] {
  return ANALYTICS_TABLES.map((t) => t.build(report, consort));
}

function decisionCurveRows(report: Pick<TrialAnalytics, 'decisionCurves'>): Cell[][] {
  const out: Cell[][] = [];
  for (const arm of report.decisionCurves) {
    // Treat all / treat none on every patient of the arm with histopathology (the curves' own
    // all/none rows below are on each variable's subset, as dcurves would compute them).
    if (arm.baseline.available) for (const r of arm.baseline.value) out.push([arm.arm, 'outcome only', ...DCURVES_COLUMNS.map((c) => (c in r ? (r[c as keyof typeof r] as Cell) : null))]);
    for (const curve of arm.curves) {
      if (!curve.result.available) continue;
      for (const r of curve.result.value.rows) out.push([arm.arm, curve.variable, ...DCURVES_COLUMNS.map((c) => r[c] as Cell)]);
    }
  }
  return out;
}
