import { describe, expect, it } from 'vitest';
import { survivalNetBenefit } from '../../../analysis/survival-net-benefit';
import type { AnalysisRow } from './analysis-dataset';
import { computeSurvivalDecisionCurve } from './compute-survival-decision-curve';
import { DAYS_PER_MONTH } from './compute-survival-analytics';

const row = (arm: string, i: number, over: Partial<AnalysisRow> = {}): AnalysisRow =>
  ({ arm, modelRisk: ((i * 37) % 100) / 100, pfsDays: 20 + ((i * 53) % 400), pfsEvent: i % 3 === 0 ? 0 : 1, ...over }) as AnalysisRow;
const arms = [
  { key: 'ai', label: 'AI' },
  { key: 'control', label: 'Control' },
];

describe('survival decision curves per arm', () => {
  it('is the survival net benefit of each arm (months from days) and their difference', () => {
    const rows = [...Array.from({ length: 12 }, (_, i) => row('ai', i)), ...Array.from({ length: 14 }, (_, i) => row('control', i + 50))];
    const d = computeSurvivalDecisionCurve({ rows, arms, horizonMonths: 6, thresholds: [0.2, 0.5] });
    const ai = rows.filter((r) => r.arm === 'ai');
    const expected = survivalNetBenefit({ time: ai.map((r) => r.pfsDays! / DAYS_PER_MONTH), event: ai.map((r) => r.pfsEvent!), risk: ai.map((r) => r.modelRisk!), name: 'model_risk' }, 6, [0.2, 0.5]);
    expect(d.arms[0]!.curve).toEqual({ available: true, value: expected });
    const nb = (k: number, t: number) => {
      const c = d.arms[k]!.curve;
      return c.available ? c.value.find((r) => r.variable === 'model_risk' && r.threshold === t)!.netBenefit : NaN;
    };
    expect(d.difference[1]).toEqual({ threshold: 0.5, difference: nb(0, 0.5) - nb(1, 0.5) });
  });

  it('says why an arm has no curve (too few scored participants with follow-up)', () => {
    const rows = [...Array.from({ length: 12 }, (_, i) => row('ai', i)), ...Array.from({ length: 12 }, (_, i) => row('control', i, { modelRisk: i < 5 ? 0.3 : null }))];
    const d = computeSurvivalDecisionCurve({ rows, arms, horizonMonths: 6, thresholds: [0.5] });
    expect(d.arms[1]!.curve).toEqual({ available: false, reason: '5 participants with a model score and PFS follow-up (need 10)' });
    expect(d.difference).toEqual([{ threshold: 0.5, difference: null }]);
  });
});
