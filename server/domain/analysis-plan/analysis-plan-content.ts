import { z } from 'zod';

const spendingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('obf') }),
  z.object({ type: z.literal('pocock') }),
  z.object({ type: z.literal('hsd'), gamma: z.number().min(-40).max(40) }),
]);

/** The outcomes a SegTrial analysis plan may name, with the type each one has. */
export const PLAN_OUTCOMES = {
  progressionFree6m: { type: 'binary', label: 'Progression-free at 6 months' },
  pfs: { type: 'time_to_event', label: 'Progression-free survival' },
  os: { type: 'time_to_event', label: 'Overall survival' },
  clinicianCorrect: { type: 'binary', label: 'Reader decision agrees with the reference standard' },
} as const;
export type PlanOutcome = keyof typeof PLAN_OUTCOMES;
const outcomeKey = z.enum(Object.keys(PLAN_OUTCOMES) as [PlanOutcome, ...PlanOutcome[]]);

/**
 * The statistical analysis plan as structured data: what is primary (and so of which type, binary
 * or time to event), the populations, the methods, the pre-specified subgroups with their reference
 * levels, the decision-curve thresholds and the group-sequential interim plan (efficacy spending and
 * an optional non-binding futility spending). Everything a report computes outside it is exploratory.
 */
export const analysisPlanContentSchema = z
  .object({
    title: z.string().trim().min(5).max(200),
    primaryOutcome: outcomeKey,
    secondaryOutcomes: z.array(outcomeKey).max(10).default([]),
    primaryPopulation: z.enum(['itt', 'per_protocol']).default('itt'),
    sensitivityPopulations: z
      .array(z.enum(['itt', 'per_protocol']))
      .max(2)
      .default(['per_protocol']),
    methods: z.string().trim().min(20).max(8000),
    subgroups: z
      .array(z.object({ variable: z.string().trim().min(1).max(60), reference: z.string().trim().min(1).max(60) }))
      .max(20)
      .default([]),
    decisionCurveThresholds: z.array(z.number().gt(0).lt(1)).min(1).max(50),
    /** Missing binary outcomes: multiple imputation as the pre-specified sensitivity analysis (m imputations, the seed of its draws). */
    missingData: z
      .object({
        method: z.literal('multiple_imputation'),
        imputations: z.number().int().min(2).max(500),
        seed: z.number().int().min(0).max(2_147_483_647),
      })
      .optional(),
    interim: z.object({
      endpoint: z.enum(['pfs', 'os']),
      informationFractions: z
        .array(z.number().gt(0).max(1))
        .min(1)
        .max(10)
        .refine((f) => f.every((x, i) => i === 0 || x > f[i - 1]!) && f[f.length - 1] === 1, 'information fractions must increase and end at 1'),
      /** One-sided α. */
      alpha: z.number().gt(0).max(0.5),
      beta: z.number().gt(0).lt(1),
      spending: spendingSchema,
      hazardRatio: z.number().gt(0).lt(1),
      /** Non-binding futility: β-spending; crossing it lets the DSMB recommend stopping, it never changes the efficacy bounds. */
      futility: z.object({ spending: spendingSchema, binding: z.literal(false) }).nullable(),
    }),
  })
  .refine((plan) => !plan.secondaryOutcomes.includes(plan.primaryOutcome), { message: 'the primary outcome is not also a secondary one', path: ['secondaryOutcomes'] });

export type AnalysisPlanContent = z.infer<typeof analysisPlanContentSchema>;

/** The type of the plan's primary outcome: which analysis the report puts first. */
export function primaryOutcomeType(plan: Pick<AnalysisPlanContent, 'primaryOutcome'>): 'binary' | 'time_to_event' {
  return PLAN_OUTCOMES[plan.primaryOutcome].type;
}

/** A starting point for the plan editor: the demo's confirmatory design. */
export const EXAMPLE_ANALYSIS_PLAN: AnalysisPlanContent = {
  title: 'Statistical analysis plan: AI-assisted glioma MRI review',
  primaryOutcome: 'pfs',
  secondaryOutcomes: ['os', 'progressionFree6m', 'clinicianCorrect'],
  primaryPopulation: 'itt',
  sensitivityPopulations: ['per_protocol'],
  methods:
    'Primary: stratified log-rank test of progression-free survival by the randomization strata (one-sided alpha 0.025), hazard ratio from a Cox model stratified by the same strata with Efron ties; Kaplan-Meier curves with log-log intervals and Brookmeyer-Crowley medians. Proportional hazards checked with scaled Schoenfeld residuals; if rejected at 0.05, the RMST difference at 12 months is reported beside the hazard ratio. Binary outcomes: Newcombe risk differences. Missing outcomes: complete cases, with extreme-case sensitivity analyses and multiple imputation (logistic model on arm, site and strata; 40 imputations, seed 20261202) pooled by Rubin’s rules.',
  subgroups: [
    { variable: 'site', reference: 'site-a' },
    { variable: 'age_band', reference: '<50' },
  ],
  decisionCurveThresholds: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
  missingData: { method: 'multiple_imputation', imputations: 40, seed: 20261202 },
  interim: {
    endpoint: 'pfs',
    informationFractions: [1 / 3, 2 / 3, 1],
    alpha: 0.025,
    beta: 0.2,
    spending: { type: 'obf' },
    hazardRatio: 0.7,
    futility: { spending: { type: 'hsd', gamma: -2 }, binding: false },
  },
};
