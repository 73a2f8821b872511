import { describe, expect, it } from 'vitest';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { AnalysisInputError } from './errors';
import { fitLogisticRegression } from './fit-logistic-regression';
import { multipleImputationRiskDifference, type ImputationRow } from './multiple-imputation-risk-difference';
import { poolRubin } from './pool-rubin';
import { createSeededRandom } from './seeded-random';

interface ModelFixture {
  m: number;
  covariates: string[];
  terms: string[];
  coefficients: number[];
  covariance: number[][];
  uniforms_used: number;
  complete_case: { riskA: number; riskB: number; difference: number; variance: number };
  imputations: { difference: number[]; variance: number[]; riskA: number[]; riskB: number[] };
  pooled: { estimate: number; within: number; between: number; total: number; df: number; r: number; fmi: number; lower: number; upper: number; p: number };
}
interface PoolFixture {
  Q: number[];
  U: number[];
  dfcom: number;
  estimate: number;
  within: number;
  between: number;
  total: number;
  df: number;
  r: number;
  fmi: number;
  lower: number;
  upper: number;
}
const fixture = readFixture<{
  data: { arm: string[]; site: string[]; age_band: string[]; y: (number | null)[] };
  uniforms: number[];
  strata_model: ModelFixture;
  arm_model: ModelFixture;
  pooling: PoolFixture[];
}>('multiple-imputation.json');

const rowsWith = (names: readonly string[]): ImputationRow[] =>
  fixture.data.arm.map((arm, i) => ({
    arm,
    y: fixture.data.y[i] as 0 | 1 | null,
    covariates: names.map((n) => (n === 'site' ? fixture.data.site[i] : fixture.data.age_band[i]) as string),
  }));

describe('multipleImputationRiskDifference against base R glm + mice pool.scalar (generate-multiple-imputation.R)', () => {
  for (const key of ['strata_model', 'arm_model'] as const) {
    it(`${key}: same imputation model, same draws from the shared uniforms, same pooled result`, () => {
      const ref = fixture[key];
      let used = 0;
      const out = multipleImputationRiskDifference({
        rows: rowsWith(ref.covariates),
        armA: 'assisted',
        armB: 'control',
        covariateNames: ref.covariates,
        m: ref.m,
        uniform: () => fixture.uniforms[used++] as number,
      });
      expect(used).toBe(ref.uniforms_used);
      expect(out.model.terms).toEqual(ref.terms);
      expect(out.model.covariatesDropped).toBeNull();
      out.model.coefficients.forEach((b, i) => expectClose(b, ref.coefficients[i] as number, { rel: 1e-8, abs: 1e-10 }, `beta ${ref.terms[i]}`));
      for (const f of ['riskA', 'riskB', 'difference', 'variance'] as const) expectClose(out.completeCase[f], ref.complete_case[f], { rel: 1e-12 }, `complete case ${f}`);
      // Same draws: every imputed data set's risks equal R's exactly (counts over n).
      expect(out.imputations.map((i) => i.riskA)).toEqual(ref.imputations.riskA.map((v) => expect.closeTo(v, 12)));
      expect(out.imputations.map((i) => i.riskB)).toEqual(ref.imputations.riskB.map((v) => expect.closeTo(v, 12)));
      for (const f of ['estimate', 'within', 'between', 'total', 'df', 'fmi', 'lower', 'upper', 'p'] as const) expectClose(out.pooled[f], ref.pooled[f], { rel: 1e-9, abs: 1e-12 }, `pooled ${f}`);
      expectClose(out.pooled.relativeIncrease, ref.pooled.r, { rel: 1e-9 }, 'pooled r');
    });
  }

  it('a seeded run is reproducible and a different seed gives different draws', () => {
    const run = (seed: number) => {
      const rng = createSeededRandom(seed);
      return multipleImputationRiskDifference({
        rows: rowsWith(['site', 'age_band']),
        armA: 'assisted',
        armB: 'control',
        covariateNames: ['site', 'age_band'],
        m: 10,
        uniform: () => rng.nextFloat() || 2 ** -33,
      });
    };
    expect(run(17).pooled).toEqual(run(17).pooled);
    expect(run(17).imputations).not.toEqual(run(18).imputations);
  });

  it('separation by a covariate level falls back to the arm-only model and says so', () => {
    const rows: ImputationRow[] = Array.from({ length: 40 }, (_, i) => ({
      arm: i % 2 ? 'a' : 'b',
      covariates: [i < 10 ? 'x' : 'y'],
      y: i < 10 ? 1 : i % 5 === 0 ? null : (i * 7) % 3 === 0 ? 1 : 0,
    }));
    const rng = createSeededRandom(1);
    const out = multipleImputationRiskDifference({ rows, armA: 'a', armB: 'b', covariateNames: ['s'], m: 5, uniform: () => rng.nextFloat() || 2 ** -33 });
    expect(out.model.covariatesDropped ?? '').toMatch(/NOT_CONVERGED/);
    expect(out.model.terms).toEqual(['(Intercept)', 'arma']);
  });

  it('refuses m < 2 and an arm without observed outcomes with typed errors', () => {
    const rows: ImputationRow[] = [
      { arm: 'a', y: 1, covariates: [] },
      { arm: 'b', y: null, covariates: [] },
    ];
    const call = (m: number) => () => multipleImputationRiskDifference({ rows, armA: 'a', armB: 'b', covariateNames: [], m, uniform: () => 0.5 });
    expect(call(1)).toThrow(AnalysisInputError);
    expect(call(5)).toThrow(/no observed outcome in arm b/);
  });
});

describe('poolRubin against mice::pool.scalar', () => {
  fixture.pooling.forEach((ref, k) => {
    it(`case ${k + 1} (m = ${ref.Q.length}, complete-data df ${ref.dfcom})`, () => {
      const out = poolRubin(ref.Q, ref.U, ref.dfcom);
      for (const f of ['estimate', 'within', 'between', 'total', 'df', 'fmi'] as const) expectClose(out[f], ref[f], { rel: 1e-12, abs: 1e-15 }, f);
      // The t quantile at ν in the millions is good to ~1e-8 (studentTQuantile's own tolerance).
      for (const f of ['lower', 'upper'] as const) expectClose(out[f], ref[f], { rel: 1e-7, abs: 1e-8 }, f);
      expectClose(out.relativeIncrease, ref.r, { rel: 1e-12, abs: 1e-15 }, 'r');
    });
  });
});

describe('fitLogisticRegression', () => {
  it('recovers the saturated two-group log odds', () => {
    const fit = fitLogisticRegression(
      [
        [1, 0],
        [1, 0],
        [1, 0],
        [1, 1],
        [1, 1],
        [1, 1],
      ],
      [0, 1, 0, 1, 1, 0],
    );
    expectClose(fit.coefficients[0] as number, Math.log(0.5), { rel: 1e-10 }, 'intercept');
    expectClose(fit.coefficients[1] as number, Math.log(4), { rel: 1e-10 }, 'log OR');
  });
});
