import { describe, expect, it } from 'vitest';
import { survivalNetBenefitBootstrap } from '@/analysis/survival-net-benefit-bootstrap';
import type { AnalysisRow } from './analysis-dataset';
import { computeSurvivalDecisionCurve } from './compute-survival-decision-curve';
import { DAYS_PER_MONTH } from './compute-survival-analytics';

const row = (arm: string, i: number, over: Partial<AnalysisRow> = {}): AnalysisRow =>
  ({ arm, modelRisk: ((i * 37) % 100) / 100, pfsDays: 20 + ((i * 53) % 400), pfsEvent: i % 3 === 0 ? 0 : 1, ...over }) as AnalysisRow;
const arms = [
  { key: 'ai', label: 'AI' },
  { key: 'control', label: 'Control' },
];
const data = (list: readonly AnalysisRow[]) => ({ time: list.map((r) => r.pfsDays! / DAYS_PER_MONTH), event: list.map((r) => r.pfsEvent!), risk: list.map((r) => r.modelRisk!) });

describe('survival decision curves per arm', () => {
  it('is the survival net benefit of each arm (months from days) with bootstrap bands, and their difference', () => {
    const rows = [...Array.from({ length: 12 }, (_, i) => row('ai', i)), ...Array.from({ length: 14 }, (_, i) => row('control', i + 50))];
    const d = computeSurvivalDecisionCurve({ rows, arms, horizonMonths: 6, thresholds: [0.2, 0.5], replicates: 200, seed: 3 });
    const expected = survivalNetBenefitBootstrap([data(rows.filter((r) => r.arm === 'ai')), data(rows.filter((r) => r.arm === 'control'))], 6, [0.2, 0.5], { replicates: 200, seed: 3 });
    const ai = d.arms[0]!.curve;
    expect(ai.available).toBe(true);
    if (!ai.available) return;
    expect(ai.value.filter((r) => r.variable === 'model_risk')).toEqual(expected.arms[0]!.filter((r) => r.variable === 'model').map((r) => ({ ...r, variable: 'model_risk' })));
    expect(ai.value.filter((r) => r.variable === 'all')).toEqual(expected.arms[0]!.filter((r) => r.variable === 'all'));
    const model = ai.value.find((r) => r.variable === 'model_risk' && r.threshold === 0.5)!;
    expect(model.lower).toBeLessThanOrEqual(model.netBenefit);
    expect(model.upper).toBeGreaterThanOrEqual(model.netBenefit);
    expect(model.upper).toBeGreaterThan(model.lower);
    expect(d.difference[1]).toEqual(expected.difference![1]);
    expect(d).toMatchObject({ replicates: 200, seed: 3 });
  });

  it('says why an arm has no curve (too few scored participants with follow-up), and bands the other alone', () => {
    const rows = [...Array.from({ length: 12 }, (_, i) => row('ai', i)), ...Array.from({ length: 12 }, (_, i) => row('control', i, { modelRisk: i < 5 ? 0.3 : null }))];
    const d = computeSurvivalDecisionCurve({ rows, arms, horizonMonths: 6, thresholds: [0.5], replicates: 50, seed: 1 });
    expect(d.arms[1]!.curve).toEqual({ available: false, reason: '5 participants with a model score and PFS follow-up (need 10)' });
    expect(d.arms[0]!.curve.available).toBe(true);
    expect(d.difference).toEqual([{ threshold: 0.5, difference: null, lower: null, upper: null }]);
  });
});
