import { z } from 'zod';
import { MANAGEMENT_PLANS, SUSPECTED_GRADES } from '@/db/schema';

/**
 * What a reviewer decides about a case; validated here for the API and the domain alike. Nothing has
 * a default: each field is sent as the reader entered it. The trial's declared edit checks
 * (decision-edit-checks.ts) are applied on top when the decision is signed.
 */
export const decisionInputSchema = z
  .strictObject({
    tumourPresent: z.boolean(),
    /** Required when a tumour is present, absent (null) otherwise. */
    suspectedGrade: z.enum(SUSPECTED_GRADES).nullable(),
    managementPlan: z.enum(MANAGEMENT_PLANS),
    /** Sent explicitly, null where the trial's edit checks do not ask for it (by default: no tumour). */
    probabilityHighGrade: z.number().int().min(0).max(100).nullable(),
    confidence: z.number().int().min(1).max(5),
    note: z.string().trim().max(2000).nullable().default(null),
  })
  .superRefine((d, ctx) => {
    if (d.tumourPresent && d.suspectedGrade === null) ctx.addIssue({ code: 'custom', path: ['suspectedGrade'], message: 'state the suspected grade (low or high) when a tumour is present' });
    if (!d.tumourPresent && d.suspectedGrade !== null) ctx.addIssue({ code: 'custom', path: ['suspectedGrade'], message: 'no suspected grade without a tumour' });
  });

export type DecisionInput = z.output<typeof decisionInputSchema>;

/** The decision fields as stored and hashed (empty notes are kept as null). */
export function normalizeDecision(d: DecisionInput): DecisionInput {
  return { ...d, note: d.note === null || d.note === '' ? null : d.note };
}

/** Field-by-field equality of two decisions (a repeated submission is recognised by its content). */
export function sameDecision(a: DecisionInput, row: DecisionInput): boolean {
  return (
    a.tumourPresent === row.tumourPresent &&
    a.suspectedGrade === row.suspectedGrade &&
    a.managementPlan === row.managementPlan &&
    a.probabilityHighGrade === row.probabilityHighGrade &&
    a.confidence === row.confidence &&
    (a.note ?? null) === (row.note ?? null)
  );
}
