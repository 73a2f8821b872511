import { describe, expect, it } from 'vitest';
import { decisionInputSchema, normalizeDecision, sameDecision } from './decision-input';

const base = { tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', probabilityHighGrade: 80, confidence: 4, note: null } as const;

describe('decisionInputSchema', () => {
  it('accepts a complete decision and defaults the note to null', () => {
    const { note: _, ...withoutNote } = base;
    expect(decisionInputSchema.parse(withoutNote)).toEqual(base);
  });

  it('needs a grade with a tumour and refuses one without', () => {
    expect(decisionInputSchema.safeParse({ ...base, suspectedGrade: null }).error?.issues[0]).toMatchObject({ path: ['suspectedGrade'], message: expect.stringContaining('when a tumour is present') });
    expect(decisionInputSchema.safeParse({ ...base, tumourPresent: false }).error?.issues[0]).toMatchObject({ path: ['suspectedGrade'] });
    expect(decisionInputSchema.safeParse({ ...base, tumourPresent: false, suspectedGrade: null }).success).toBe(true);
  });

  it('bounds the probability (integer 0–100) and the confidence (1–5), and refuses unknown fields', () => {
    for (const bad of [
      { probabilityHighGrade: 101 },
      { probabilityHighGrade: -1 },
      { probabilityHighGrade: 50.5 },
      { confidence: 0 },
      { confidence: 6 },
      { managementPlan: 'wait' },
      { arm: 'control' },
    ]) {
      expect(decisionInputSchema.safeParse({ ...base, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('sameDecision and normalizeDecision', () => {
  it('compares field by field, an empty note counting as none', () => {
    expect(sameDecision(normalizeDecision({ ...base, note: '' }), base)).toBe(true);
    expect(sameDecision({ ...base, probabilityHighGrade: 79 }, base)).toBe(false);
    expect(sameDecision({ ...base, note: 'x' }, base)).toBe(false);
  });
});
