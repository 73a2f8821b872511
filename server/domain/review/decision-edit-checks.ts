import { z } from 'zod';

/**
 * Edit checks a trial design declares for the reader's decision form. They are enforced on the
 * server when a decision or correction is signed, and the form shows each next to its field (the
 * same functions run in the browser), so a reader meets the rule before the refusal.
 *
 * - `required`: the field must be given.
 * - `required_if`: the field must be given when another field has a value.
 * - `only_if`: the field may be given only when another field has a value (consistency, e.g. a
 *   probability of high grade only when a tumour is present).
 * - `range`: a numeric field, when given, lies in [min, max].
 */
export const DECISION_FIELDS = ['tumourPresent', 'suspectedGrade', 'managementPlan', 'probabilityHighGrade', 'confidence', 'note'] as const;
export type DecisionField = (typeof DECISION_FIELDS)[number];

export const DECISION_FIELD_LABELS: Record<DecisionField, string> = {
  tumourPresent: 'Tumour present',
  suspectedGrade: 'Suspected grade',
  managementPlan: 'Management plan',
  probabilityHighGrade: 'Probability of a high-grade tumour',
  confidence: 'Confidence',
  note: 'Note',
};

const field = z.enum(DECISION_FIELDS);
const condition = z.strictObject({ field, equals: z.union([z.boolean(), z.string(), z.number()]) });

export const decisionEditCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('required'), field }),
  z.strictObject({ kind: z.literal('required_if'), field, when: condition }),
  z.strictObject({ kind: z.literal('only_if'), field, when: condition }),
  z.strictObject({ kind: z.literal('range'), field: z.enum(['probabilityHighGrade', 'confidence']), min: z.number(), max: z.number() }).refine((c) => c.min <= c.max, 'min must not exceed max'),
]);
export type DecisionEditCheck = z.infer<typeof decisionEditCheckSchema>;

/**
 * The checks a design gets when it declares none: every clinical field is entered explicitly; grade
 * and probability of high grade are asked when, and only when, a tumour is present.
 */
export const DEFAULT_DECISION_EDIT_CHECKS: readonly DecisionEditCheck[] = [
  { kind: 'required', field: 'tumourPresent' },
  { kind: 'required', field: 'managementPlan' },
  { kind: 'required', field: 'confidence' },
  { kind: 'required_if', field: 'suspectedGrade', when: { field: 'tumourPresent', equals: true } },
  { kind: 'only_if', field: 'suspectedGrade', when: { field: 'tumourPresent', equals: true } },
  { kind: 'required_if', field: 'probabilityHighGrade', when: { field: 'tumourPresent', equals: true } },
  { kind: 'only_if', field: 'probabilityHighGrade', when: { field: 'tumourPresent', equals: true } },
  { kind: 'range', field: 'probabilityHighGrade', min: 0, max: 100 },
  { kind: 'range', field: 'confidence', min: 1, max: 5 },
];

export interface EditCheckFinding {
  readonly field: DecisionField;
  readonly message: string;
}

/** A decision as the form holds it: any field may still be missing (null or undefined). */
export type DecisionDraft = Partial<Record<DecisionField, unknown>>;

const given = (v: unknown) => v !== null && v !== undefined && v !== '';

function describeCondition(when: { field: DecisionField; equals: unknown }): string {
  if (when.field === 'tumourPresent') return when.equals === true ? 'a tumour is present' : 'no tumour is present';
  return `${DECISION_FIELD_LABELS[when.field].toLowerCase()} is ${String(when.equals)}`;
}

/** The rule in words, for the form to show beside its field. */
export function describeEditCheck(check: DecisionEditCheck): string {
  switch (check.kind) {
    case 'required':
      return 'required';
    case 'required_if':
      return `required when ${describeCondition(check.when)}`;
    case 'only_if':
      return `given only when ${describeCondition(check.when)}`;
    case 'range':
      return `between ${check.min} and ${check.max}`;
  }
}

/**
 * The findings of `checks` on a decision, one per failed check, in the order declared.
 *
 * @example checkDecision(DEFAULT_DECISION_EDIT_CHECKS, { tumourPresent: false, managementPlan: 'surveillance', confidence: 4, probabilityHighGrade: 30 })
 * // [{ field: 'probabilityHighGrade', message: 'Probability of a high-grade tumour: given only when a tumour is present' }]
 */
export function checkDecision(checks: readonly DecisionEditCheck[], decision: DecisionDraft): EditCheckFinding[] {
  const findings: EditCheckFinding[] = [];
  for (const check of checks) {
    const value = decision[check.field];
    let failed = false;
    if (check.kind === 'required') failed = !given(value);
    else if (check.kind === 'required_if') failed = decision[check.when.field] === check.when.equals && !given(value);
    else if (check.kind === 'only_if') failed = decision[check.when.field] !== check.when.equals && given(value);
    else failed = given(value) && (typeof value !== 'number' || value < check.min || value > check.max);
    if (failed) findings.push({ field: check.field, message: `${DECISION_FIELD_LABELS[check.field]}: ${describeEditCheck(check)}` });
  }
  return findings;
}
