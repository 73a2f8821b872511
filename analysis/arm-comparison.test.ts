import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArmCounts } from './arm-counts';
import { compareArms } from './compare-arms';
import { AnalysisInputError } from './errors';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { fisherExactTest } from './fisher-exact-test';
import { newcombeRiskDifference } from './newcombe-risk-difference';
import { oddsRatio } from './odds-ratio';
import { pearsonChiSquareTest } from './pearson-chi-square-test';
import { relativeRisk } from './relative-risk';
import { waldRiskDifference } from './wald-risk-difference';
import { wilsonInterval } from './wilson-interval';

interface ArmCase {
  input: ArmCounts;
  wilsonA: [number, number];
  wilsonB: [number, number];
  riskDifference: number;
  wald: [number, number];
  newcombe: [number, number];
  relativeRisk: { estimate: number; ci: [number, number]; corrected: boolean };
  oddsRatio: { estimate: number; ci: [number, number]; corrected: boolean };
  fisherP: number;
  chiSquare: { statistic: number; p: number } | null;
  chiSquareYates: { statistic: number; p: number } | null;
}

const cases = readFixture<ArmCase[]>('arm-comparison.json');
const label = (c: ArmCase) => `${c.input.eventsA}/${c.input.nA} vs ${c.input.eventsB}/${c.input.nB}`;

// Closed-form intervals differ from R only through qnorm and rounding: 1e-12 relative.
const CLOSED_FORM = { rel: 1e-12, abs: 1e-14 };
// p-values: our erfc/χ² tail is good to ~1e-14 relative; Fisher sums R's dhyper terms: 1e-9.
const P_CHI = { rel: 1e-11, abs: 1e-300 };
const P_FISHER = { rel: 1e-9, abs: 1e-15 };

describe('arm comparison vs R (arm-comparison.json)', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const { input } = c;
    const wa = wilsonInterval(input.eventsA, input.nA);
    const wb = wilsonInterval(input.eventsB, input.nB);
    expectClose(wa.lower, c.wilsonA[0], CLOSED_FORM, 'Wilson A lower');
    expectClose(wa.upper, c.wilsonA[1], CLOSED_FORM, 'Wilson A upper');
    expectClose(wb.lower, c.wilsonB[0], CLOSED_FORM, 'Wilson B lower');
    expectClose(wb.upper, c.wilsonB[1], CLOSED_FORM, 'Wilson B upper');

    const wald = waldRiskDifference(input);
    expectClose(wald.estimate, c.riskDifference, CLOSED_FORM, 'RD');
    expectClose(wald.lower, c.wald[0], CLOSED_FORM, 'Wald lower');
    expectClose(wald.upper, c.wald[1], CLOSED_FORM, 'Wald upper');

    const newcombe = newcombeRiskDifference(input);
    expectClose(newcombe.lower, c.newcombe[0], CLOSED_FORM, 'Newcombe lower');
    expectClose(newcombe.upper, c.newcombe[1], CLOSED_FORM, 'Newcombe upper');

    const rr = relativeRisk(input);
    expectClose(rr.estimate, c.relativeRisk.estimate, CLOSED_FORM, 'RR');
    expectClose(rr.lower, c.relativeRisk.ci[0], CLOSED_FORM, 'RR lower');
    expectClose(rr.upper, c.relativeRisk.ci[1], CLOSED_FORM, 'RR upper');
    expect(rr.correction).toBe(c.relativeRisk.corrected ? 'Haldane-Anscombe +0.5' : 'none');

    const or = oddsRatio(input);
    expectClose(or.estimate, c.oddsRatio.estimate, CLOSED_FORM, 'OR');
    expectClose(or.lower, c.oddsRatio.ci[0], CLOSED_FORM, 'OR lower');
    expectClose(or.upper, c.oddsRatio.ci[1], CLOSED_FORM, 'OR upper');
    expect(or.correction).toBe(c.oddsRatio.corrected ? 'Haldane-Anscombe +0.5' : 'none');

    expectClose(fisherExactTest(input).pValue, c.fisherP, P_FISHER, 'Fisher p');

    if (c.chiSquare && c.chiSquareYates) {
      const plain = pearsonChiSquareTest(input, { correct: false });
      const yates = pearsonChiSquareTest(input, { correct: true });
      expectClose(plain.statistic ?? Number.NaN, c.chiSquare.statistic, CLOSED_FORM, 'X²');
      expectClose(plain.pValue, c.chiSquare.p, P_CHI, 'χ² p');
      expectClose(yates.statistic ?? Number.NaN, c.chiSquareYates.statistic, CLOSED_FORM, 'X² Yates');
      expectClose(yates.pValue, c.chiSquareYates.p, P_CHI, 'χ² Yates p');
    } else {
      expect(() => pearsonChiSquareTest(input, { correct: false })).toThrowError(AnalysisInputError);
    }
  });

  it('compareArms labels every figure with its method and matches the single functions', () => {
    const c = cases[0] as ArmCase;
    const result = compareArms(c.input);
    expect(result.estimates.map((e) => `${e.measure} | ${e.method}`)).toEqual([
      'risk difference | Wald',
      'risk difference | Newcombe hybrid score (method 10)',
      'relative risk | Katz log',
      'odds ratio | Woolf log',
    ]);
    expect(result.tests.map((t) => t.method)).toEqual(["Fisher's exact test (two-sided)", "Pearson's chi-squared test", "Pearson's chi-squared test with Yates' continuity correction"]);
    expectClose(result.tests[0]?.pValue ?? Number.NaN, c.fisherP, P_FISHER, 'Fisher p');
    expectClose(result.estimates[1]?.lower ?? Number.NaN, c.newcombe[0], CLOSED_FORM, 'Newcombe lower');
    expect(result.notComputed).toEqual([]);
  });

  it('compareArms reports χ² as not computed when nobody has the event', () => {
    const result = compareArms({ eventsA: 0, nA: 15, eventsB: 0, nB: 17 });
    expect(result.notComputed.map((x) => x.method)).toEqual(["Pearson's chi-squared test", "Pearson's chi-squared test with Yates' continuity correction"]);
    expect(result.notComputed[0]?.reason).toMatch(/^ZERO_MARGIN/);
    expect(result.tests.map((t) => t.pValue)).toEqual([1]);
    expect(result.estimates.find((e) => e.measure === 'odds ratio')?.correction).toBe('Haldane-Anscombe +0.5');
  });
});

describe('degenerate arm counts', () => {
  it.each([
    [{ eventsA: 1, nA: 0, eventsB: 0, nB: 3 }, 'EMPTY_GROUP'],
    [{ eventsA: 5, nA: 4, eventsB: 0, nB: 3 }, 'EVENTS_EXCEED_TOTAL'],
    [{ eventsA: -1, nA: 4, eventsB: 0, nB: 3 }, 'INVALID_COUNT'],
    [{ eventsA: 1.5, nA: 4, eventsB: 0, nB: 3 }, 'INVALID_COUNT'],
  ] as const)('%j → %s', (arms, code) => {
    for (const f of [waldRiskDifference, newcombeRiskDifference, relativeRisk, oddsRatio, fisherExactTest]) {
      expect(() => f(arms)).toThrowError(expect.objectContaining({ code }));
    }
  });

  it('all events in both arms: Newcombe stays in [-1, 1], Fisher p = 1', () => {
    const arms = { eventsA: 7, nA: 7, eventsB: 9, nB: 9 };
    const rd = newcombeRiskDifference(arms);
    expect(rd.estimate).toBe(0);
    expect(rd.lower).toBeGreaterThanOrEqual(-1);
    expect(rd.upper).toBeLessThanOrEqual(1);
    expect(fisherExactTest(arms).pValue).toBe(1);
  });

  it('a confidence level outside (0, 1) throws INVALID_ARGUMENT', () => {
    expect(() => wilsonInterval(1, 2, 1)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('properties', () => {
  const arms = fc
    .record({ nA: fc.integer({ min: 1, max: 200 }), nB: fc.integer({ min: 1, max: 200 }), fa: fc.double({ min: 0, max: 1, noNaN: true }), fb: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ nA, nB, fa, fb }) => ({ eventsA: Math.round(fa * nA), nA, eventsB: Math.round(fb * nB), nB }));

  it('Newcombe interval contains the estimate and lies in [-1, 1]', () => {
    fc.assert(
      fc.property(arms, (a) => {
        const r = newcombeRiskDifference(a);
        return r.lower <= r.estimate + 1e-12 && r.estimate <= r.upper + 1e-12 && r.lower >= -1 - 1e-12 && r.upper <= 1 + 1e-12;
      }),
    );
  });

  it('Fisher p is a probability and symmetric in the arms', () => {
    fc.assert(
      fc.property(arms, (a) => {
        const p = fisherExactTest(a).pValue;
        const q = fisherExactTest({ eventsA: a.eventsB, nA: a.nB, eventsB: a.eventsA, nB: a.nA }).pValue;
        return p > 0 && p <= 1 && Math.abs(p - q) <= 1e-12;
      }),
    );
  });
});
