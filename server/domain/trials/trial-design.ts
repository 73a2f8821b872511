import { z } from 'zod';
import { parseRandomizationParameters, RandomizationError, type RandomizationParameters } from '../randomization';
import { randomizationParametersSchema } from '../randomization/parameters';
import { AppError } from '../../errors';
import { describeFieldPath } from './describe-field-path';
import { imagingVisitScheduleSchema, type ImagingVisit } from '../followup/imaging-visit-schedule';
import { oversightSettingsSchema, type OversightSettings } from '../oversight/oversight-settings';
import { DEFAULT_DECISION_EDIT_CHECKS, decisionEditCheckSchema, type DecisionEditCheck } from '../review/decision-edit-checks';

export const eligibilityCriterionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _'),
  text: z.string().min(3).max(300),
  /** Inclusion criteria must be met (answer true); exclusion criteria must not be (answer false). */
  kind: z.enum(['inclusion', 'exclusion']),
  /** The protocol allows an authorised person to waive this criterion with a signed, reasoned waiver. */
  waivable: z.boolean().default(false),
});
export type EligibilityCriterion = z.infer<typeof eligibilityCriterionSchema>;

/** What a coordinator configures. Validated here; the randomization part by the engine's schema. */
export const trialDesignSchema = z.strictObject({
  randomization: randomizationParametersSchema,
  eligibility: z.array(eligibilityCriterionSchema).max(50).default([]),
  targetSampleSize: z.number().int().positive().max(1_000_000),
  /**
   * Open-label for coordinators: when false (the default) a coordinator sees that a patient is
   * randomized but not the arm, and balance dashboards show totals without arm counts (with permuted
   * blocks, per-arm counts would let a coordinator predict the next allocation).
   */
  coordinatorsSeeArm: z.boolean().default(false),
  /** Edit checks of the reader's decision form, enforced on the server; a design without them gets the defaults. */
  editChecks: z
    .array(decisionEditCheckSchema)
    .max(50)
    .default(() => [...DEFAULT_DECISION_EDIT_CHECKS]),
  /** The imaging visit schedule (baseline and follow-ups); absent: DEFAULT_IMAGING_VISITS. */
  imagingVisits: imagingVisitScheduleSchema.optional(),
  /** How the AI's oversight charts set their limits (docs/oversight.md); absent: DEFAULT_OVERSIGHT_SETTINGS. */
  oversight: oversightSettingsSchema.optional(),
});
export type TrialDesignInput = z.input<typeof trialDesignSchema>;

export interface TrialDesign {
  readonly randomization: RandomizationParameters;
  readonly eligibility: readonly EligibilityCriterion[];
  readonly targetSampleSize: number;
  readonly coordinatorsSeeArm: boolean;
  readonly editChecks: readonly DecisionEditCheck[];
  readonly imagingVisits?: readonly ImagingVisit[];
  readonly oversight?: OversightSettings;
}

/** Parses a stored or submitted design; a randomization rule violation becomes INVALID_INPUT. */
export function parseTrialDesign(value: unknown): TrialDesign {
  const parsed = trialDesignSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('INVALID_INPUT', `Trial design: ${(issue && describeFieldPath(issue.path)) || 'value'}: ${issue?.message ?? 'invalid'}`, { path: issue?.path.join('.') });
  }
  try {
    const ids = new Set<string>();
    for (const c of parsed.data.eligibility) {
      if (ids.has(c.id)) throw new AppError('INVALID_INPUT', `Eligibility criterion '${c.id}' is listed twice.`);
      ids.add(c.id);
    }
    return { ...parsed.data, randomization: parseRandomizationParameters(parsed.data.randomization) };
  } catch (error) {
    if (error instanceof RandomizationError) throw new AppError('INVALID_INPUT', `Randomization: ${error.message}`);
    throw error;
  }
}

/** The criteria a participant's answers fail (inclusion answered false or missing, exclusion true or missing). */
export function unmetCriteria(design: TrialDesign, answers: Readonly<Record<string, boolean>>): EligibilityCriterion[] {
  return design.eligibility.filter((c) => {
    const answer = answers[c.id];
    return answer === undefined || (c.kind === 'inclusion' ? answer !== true : answer !== false);
  });
}
