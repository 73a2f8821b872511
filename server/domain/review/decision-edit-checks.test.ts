import { describe, expect, it } from 'vitest';
import { checkDecision, DEFAULT_DECISION_EDIT_CHECKS, decisionEditCheckSchema, describeEditCheck } from './decision-edit-checks';

const tumour = { tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', probabilityHighGrade: 80, confidence: 4, note: null };
const noTumour = { tumourPresent: false, suspectedGrade: null, managementPlan: 'surveillance', probabilityHighGrade: null, confidence: 3, note: null };

describe('checkDecision with the default edit checks', () => {
  it('passes complete, consistent decisions with and without a tumour', () => {
    expect(checkDecision(DEFAULT_DECISION_EDIT_CHECKS, tumour)).toEqual([]);
    expect(checkDecision(DEFAULT_DECISION_EDIT_CHECKS, noTumour)).toEqual([]);
  });

  it('an untouched form fails on every required field', () => {
    expect(checkDecision(DEFAULT_DECISION_EDIT_CHECKS, {}).map((f) => f.field)).toEqual(['tumourPresent', 'managementPlan', 'confidence']);
  });

  it('asks grade and probability when a tumour is present, and refuses them without one', () => {
    expect(checkDecision(DEFAULT_DECISION_EDIT_CHECKS, { ...tumour, suspectedGrade: null, probabilityHighGrade: null })).toEqual([
      { field: 'suspectedGrade', message: 'Suspected grade: required when a tumour is present' },
      { field: 'probabilityHighGrade', message: 'Probability of a high-grade tumour: required when a tumour is present' },
    ]);
    expect(checkDecision(DEFAULT_DECISION_EDIT_CHECKS, { ...noTumour, probabilityHighGrade: 30 })).toEqual([
      { field: 'probabilityHighGrade', message: 'Probability of a high-grade tumour: given only when a tumour is present' },
    ]);
  });

  it('checks ranges of given values only', () => {
    const checks = [decisionEditCheckSchema.parse({ kind: 'range', field: 'probabilityHighGrade', min: 5, max: 95 })];
    expect(checkDecision(checks, { probabilityHighGrade: 99 })).toEqual([{ field: 'probabilityHighGrade', message: 'Probability of a high-grade tumour: between 5 and 95' }]);
    expect(checkDecision(checks, { probabilityHighGrade: null })).toEqual([]);
    expect(describeEditCheck(checks[0]!)).toBe('between 5 and 95');
  });

  it('refuses malformed checks (unknown field, min above max)', () => {
    expect(decisionEditCheckSchema.safeParse({ kind: 'required', field: 'arm' }).success).toBe(false);
    expect(decisionEditCheckSchema.safeParse({ kind: 'range', field: 'confidence', min: 5, max: 1 }).success).toBe(false);
  });
});
