import { describe, expect, it } from 'vitest';
import { aucDeLong } from './auc-delong';
import { binnedCalibrationCurve } from './binned-calibration-curve';
import { calibrationInterceptSlope } from './calibration-intercept-slope';
import { disparityVsReference } from './disparity-vs-reference';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { midranks } from './midranks';
import { newcombeRiskDifference } from './newcombe-risk-difference';
import { relativeRisk } from './relative-risk';
import { smallSampleFlag } from './small-sample-flag';

interface Coefficient {
  estimate: number;
  se: number;
  ci: [number, number];
}
interface Performance {
  calibration: { predicted: number[]; outcome: number[]; result: { intercept: Coefficient; slope: Coefficient } }[];
  auc: { score: number[]; outcome: number[]; result: { auc: number; se: number; ci: [number, number] } }[];
  binned: {
    predicted: number[];
    outcome: number[];
    bins: number;
    strategy: 'quantile' | 'uniform';
    result: { bin: number; n: number; events: number; minPredicted: number; maxPredicted: number; meanPredicted: number; observed: number; ci: [number, number] }[];
  }[];
}
const perf = readFixture<Performance>('performance.json');

describe('calibration intercept and slope vs R glm (performance.json)', () => {
  // R's glm was run to epsilon 1e-15; both fits are Newton on the same likelihood: 1e-9 relative.
  const TOL = { rel: 1e-9, abs: 1e-11 };
  it.each(perf.calibration.map((c, i) => [i, c] as const))('dataset %i', (_i, c) => {
    const r = calibrationInterceptSlope(c.predicted, c.outcome);
    for (const key of ['intercept', 'slope'] as const) {
      expectClose(r[key].estimate, c.result[key].estimate, TOL, `${key}`);
      expectClose(r[key].se, c.result[key].se, TOL, `${key} se`);
      expectClose(r[key].lower, c.result[key].ci[0], TOL, `${key} lower`);
      expectClose(r[key].upper, c.result[key].ci[1], TOL, `${key} upper`);
    }
  });
  it('degenerate inputs throw one documented error each', () => {
    expect(() => calibrationInterceptSlope([0.2, 0.3], [0, 0])).toThrowError(expect.objectContaining({ code: 'NO_OUTCOME_VARIATION' }));
    expect(() => calibrationInterceptSlope([0, 0.3], [0, 1])).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => calibrationInterceptSlope([0.3, 0.3, 0.3], [0, 1, 1])).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    // Perfect separation: the slope diverges.
    expect(() => calibrationInterceptSlope([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toThrowError(expect.objectContaining({ code: 'NOT_CONVERGED' }));
    expect(() => calibrationInterceptSlope([], [])).toThrowError(expect.objectContaining({ code: 'EMPTY_INPUT' }));
  });
});

describe('AUC with DeLong CI vs R (Mann-Whitney via wilcox.test, DeLong by explicit ψ matrix)', () => {
  const TOL = { rel: 1e-12, abs: 1e-14 };
  it.each(perf.auc.map((c, i) => [i, c] as const))('dataset %i', (_i, c) => {
    const r = aucDeLong(c.score, c.outcome);
    expectClose(r.auc, c.result.auc, TOL, 'AUC');
    expectClose(r.se, c.result.se, TOL, 'SE');
    expectClose(r.lower, c.result.ci[0], TOL, 'lower');
    expectClose(r.upper, c.result.ci[1], TOL, 'upper');
  });
  it('needs two cases and two controls', () => {
    expect(() => aucDeLong([0.1, 0.2, 0.3], [0, 0, 1])).toThrowError(expect.objectContaining({ code: 'NO_OUTCOME_VARIATION' }));
    expect(() => aucDeLong([0.1, 0.2], [0, 2])).toThrowError(expect.objectContaining({ code: 'NOT_BINARY' }));
    expect(() => aucDeLong([0.1], [0, 1])).toThrowError(expect.objectContaining({ code: 'LENGTH_MISMATCH' }));
  });
  it('midranks average ties like R rank()', () => {
    expect(Array.from(midranks([0.3, 0.1, 0.3, 0.5]))).toEqual([2.5, 1, 2.5, 4]);
  });
});

describe('binned calibration curve vs R (same binning rules)', () => {
  it.each(perf.binned.map((c, i) => [`${i} ${c.strategy}`, c] as const))('dataset %s', (_i, c) => {
    const got = binnedCalibrationCurve(c.predicted, c.outcome, { bins: c.bins, strategy: c.strategy });
    expect(got.map((b) => [b.bin, b.n, b.events])).toEqual(c.result.map((b) => [b.bin, b.n, b.events]));
    got.forEach((b, k) => {
      const ref = c.result[k];
      if (!ref) throw new Error('missing bin');
      expectClose(b.meanPredicted, ref.meanPredicted, { rel: 1e-13 }, 'mean predicted');
      expect([b.minPredicted, b.maxPredicted]).toEqual([ref.minPredicted, ref.maxPredicted]);
      expectClose(b.observedLower, ref.ci[0], { rel: 1e-12, abs: 1e-14 }, 'observed lower');
      expectClose(b.observedUpper, ref.ci[1], { rel: 1e-12, abs: 1e-14 }, 'observed upper');
    });
  });
  it('rejects a bad bin count', () => {
    expect(() => binnedCalibrationCurve([0.5], [1], { bins: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('disparity, small-n flag', () => {
  it('disparity uses Newcombe for the difference and Katz for the ratio, reference first', () => {
    const groups = [
      { name: 'M', events: 30, n: 50 },
      { name: 'F', events: 40, n: 50 },
      { name: 'X', events: 0, n: 6 },
    ];
    const d = disparityVsReference(groups, 'F');
    expect(d.map((x) => x.name)).toEqual(['F', 'M', 'X']);
    expect(d[1]?.difference).toEqual(newcombeRiskDifference({ eventsA: 30, nA: 50, eventsB: 40, nB: 50 }));
    expect(d[1]?.ratio).toEqual(relativeRisk({ eventsA: 30, nA: 50, eventsB: 40, nB: 50 }));
    expect(d[2]?.ratio.correction).toBe('Haldane-Anscombe +0.5');
    expect(() => disparityVsReference(groups, 'Z')).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => disparityVsReference([{ name: 'E', events: 0, n: 0 }], 'E')).toThrowError(expect.objectContaining({ code: 'EMPTY_GROUP' }));
  });
  it('small-n flag gives reasons', () => {
    expect(smallSampleFlag({ n: 24, events: 3 })).toEqual({ flagged: true, reasons: ['n = 24 < 30', 'events = 3 < 5'] });
    expect(smallSampleFlag({ n: 200, events: 198 })).toEqual({ flagged: true, reasons: ['non-events = 2 < 5'] });
    expect(smallSampleFlag({ n: 200, events: 50 })).toEqual({ flagged: false, reasons: [] });
    expect(smallSampleFlag({ n: 10 }, { minN: 10 })).toEqual({ flagged: false, reasons: [] });
  });
});
