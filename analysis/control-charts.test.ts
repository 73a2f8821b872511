import { describe, expect, it } from 'vitest';
import { cusumAverageRunLength, cusumDecisionInterval, ewmaAverageRunLength, ewmaCriticalValue } from './control-chart-arl';
import { cusumChart, estimateControlBaseline, ewmaChart } from './control-charts';
import { type AnalysisInputError } from './errors';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { gaussLegendre } from './gauss-legendre';

// Written by analysis/fixtures/generate-control-charts.R (R's spc package; the charts' recursions in R).
interface Fixture {
  ewma_arl: { lambda: number; c: number; mu: number; arl: number }[];
  ewma_crit: { lambda: number; L0: number; c: number }[];
  cusum_arl: { k: number; h: number; mu: number; arl: number }[];
  cusum_crit: { k: number; L0: number; h: number }[];
  chart: {
    values: number[];
    baseline_n: number;
    mean: number;
    sd: number;
    lambda: number;
    L0: number;
    k: number;
    ewma: { c: number; z: number[]; lower: number; upper: number; signals: number[] };
    cusum: { h: number; upper: number[]; lower: number[]; signals: number[] };
  };
}
const fixture = readFixture<Fixture>('control-charts.json');
// Same quadrature as spc's defaults (40 nodes EWMA, 30 CUSUM): agreement to rounding; the critical
// values go through a bisection to 1e-10 on each side.
const ARL = { rel: 1e-7 };
const CRIT = { rel: 1e-7 };

describe('Gauss–Legendre quadrature', () => {
  it('integrates polynomials up to degree 2n − 1 exactly', () => {
    const { nodes, weights } = gaussLegendre(5, -1, 2);
    const integral = (f: (x: number) => number) => nodes.reduce((s, x, i) => s + (weights[i] as number) * f(x), 0);
    expectClose(
      integral((x) => x ** 9),
      (2 ** 10 - 1) / 10,
      { rel: 1e-13 },
      '∫x⁹',
    );
    expectClose(
      integral(() => 1),
      3,
      { rel: 1e-14 },
      '∫1',
    );
  });
});

describe('average run lengths against R spc', () => {
  it.each(fixture.ewma_arl)('EWMA λ=$lambda c=$c μ=$mu', ({ lambda, c, mu, arl }) => {
    expectClose(ewmaAverageRunLength({ lambda, criticalValue: c, shift: mu }), arl, ARL, 'ARL');
  });
  it.each(fixture.cusum_arl)('CUSUM k=$k h=$h μ=$mu', ({ k, h, mu, arl }) => {
    expectClose(cusumAverageRunLength({ k, h, shift: mu }), arl, ARL, 'ARL');
  });
  it.each(fixture.ewma_crit)('EWMA critical value λ=$lambda ARL₀=$L0', ({ lambda, L0, c }) => {
    expectClose(ewmaCriticalValue({ lambda, inControlArl: L0 }), c, CRIT, 'c');
  });
  it.each(fixture.cusum_crit)('CUSUM decision interval k=$k ARL₀=$L0', ({ k, L0, h }) => {
    expectClose(cusumDecisionInterval({ k, inControlArl: L0 }), h, CRIT, 'h');
  });
});

describe('charts against the R recursions', () => {
  const { chart } = fixture;
  it('EWMA: statistic, limits and the points past them', () => {
    const ewma = ewmaChart(chart.values, { baselineCount: chart.baseline_n, lambda: chart.lambda, inControlArl: chart.L0 });
    expectClose(ewma.baseline.mean, chart.mean, { rel: 1e-12 }, 'mean');
    expectClose(ewma.baseline.sd, chart.sd, { rel: 1e-12 }, 'sd');
    expectClose(ewma.criticalValue, chart.ewma.c, CRIT, 'c');
    expectClose(ewma.lowerLimit, chart.ewma.lower, CRIT, 'lower limit');
    expectClose(ewma.upperLimit, chart.ewma.upper, CRIT, 'upper limit');
    ewma.points.forEach((p, i) => expectClose(p.statistic, chart.ewma.z[i] as number, { rel: 1e-10, abs: 1e-12 }, `Z at ${i}`));
    expect(ewma.signals).toEqual(chart.ewma.signals);
    expect(ewma.signals.length).toBeGreaterThan(0);
  });
  it('CUSUM: both sums, decision interval and signals', () => {
    const cusum = cusumChart(chart.values, { baselineCount: chart.baseline_n, k: chart.k, inControlArl: chart.L0 });
    expectClose(cusum.h, chart.cusum.h, CRIT, 'h');
    cusum.upper.forEach((v, i) => expectClose(v, chart.cusum.upper[i] as number, { rel: 1e-10, abs: 1e-12 }, `C+ at ${i}`));
    cusum.lower.forEach((v, i) => expectClose(v, chart.cusum.lower[i] as number, { rel: 1e-10, abs: 1e-12 }, `C- at ${i}`));
    expect(cusum.signals).toEqual(chart.cusum.signals);
  });
  it('never signals inside the baseline, whatever its values', () => {
    const wild = [0, 100, -100, 50, -50, 0, 0];
    expect(
      ewmaChart(wild, { baselineCount: 5 })
        .points.slice(0, 5)
        .every((p) => p.signal === null && p.baseline),
    ).toBe(true);
    expect(
      cusumChart(wild, { baselineCount: 5 })
        .points.slice(0, 5)
        .every((p) => p.signal === null),
    ).toBe(true);
  });
});

describe('degenerate input', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      return (error as AnalysisInputError).code;
    }
    return 'no error';
  };
  it('refuses with a typed code', () => {
    expect(code(() => estimateControlBaseline([1, 2], 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => estimateControlBaseline([1, 2], 3))).toBe('INVALID_ARGUMENT');
    expect(code(() => estimateControlBaseline([4, 4, 4], 3))).toBe('NO_OUTCOME_VARIATION');
    expect(code(() => estimateControlBaseline([1, Number.NaN, 3], 3))).toBe('OUT_OF_RANGE');
    expect(code(() => ewmaChart([1, 2, 3], { baselineCount: 3, lambda: 0 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => cusumChart([1, 2, 3], { baselineCount: 3, k: -1 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => ewmaCriticalValue({ lambda: 0.2, inControlArl: 1 }))).toBe('INVALID_ARGUMENT');
  });
});
