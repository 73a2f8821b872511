import { describe, expect, it } from 'vitest';
import { coxProportionalHazards } from './cox-proportional-hazards';
import { coxZph } from './cox-zph';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { kaplanMeier } from './kaplan-meier';
import { kaplanMeierMedian } from './kaplan-meier-median';
import { logRankTest } from './log-rank-test';
import { numbersAtRisk } from './numbers-at-risk';
import { restrictedMeanSurvival } from './restricted-mean-survival';
import { rmstDifference } from './rmst-difference';
import { survivalNetBenefit } from './survival-net-benefit';

interface KmFixture {
  time: number[];
  n_risk: number[];
  n_event: number[];
  n_censor: number[];
  surv: number[];
  std_err: number[];
  lower: number[];
  upper: number[];
  median: number | null;
  median_lower: number | null;
  median_upper: number | null;
}
interface CoxFixture {
  beta: number[];
  se: number[];
  lower: number[];
  upper: number[];
  loglik: [number, number];
  score: number;
  wald: number;
  lr: number;
  zph: { term: string; chisq: number; df: number; p: number }[];
}
interface Dataset {
  name: string;
  time: number[];
  event: number[];
  arm: string[];
  stratum: string[];
  age: number[];
  arms: [string, string];
  km: Record<string, KmFixture>;
  logrank: { chisq: number; df: number; p: number; observed: number[]; expected: number[] };
  logrank_stratified: { chisq: number; p: number; observed: number[]; expected: number[] };
  cox_efron: CoxFixture;
  cox_breslow: CoxFixture;
  cox_adjusted_stratified: CoxFixture;
  rmst: { tau: number; armA: { rmst: number; se: number }; armB: { rmst: number; se: number } };
}
const fixture = readFixture<{ datasets: Dataset[]; flat: KmFixture & { time_in: number[]; event_in: number[] } }>('survival.json');
const TIGHT = { rel: 1e-12, abs: 1e-14 };

function expectKm(time: number[], event: number[], ref: KmFixture): void {
  const curve = kaplanMeier(time, event);
  expect(curve.steps.map((s) => [s.time, s.nRisk, s.nEvent, s.nCensor])).toEqual(ref.time.map((t, i) => [t, ref.n_risk[i], ref.n_event[i], ref.n_censor[i]]));
  curve.steps.forEach((s, i) => {
    expectClose(s.surv, ref.surv[i] as number, TIGHT, `surv at ${s.time}`);
    expectClose(s.stdErr, ref.std_err[i] as number, TIGHT, `std.err at ${s.time}`);
    expectClose(s.lower, ref.lower[i] as number, { rel: 1e-11, abs: 1e-14 }, `lower at ${s.time}`);
    expectClose(s.upper, ref.upper[i] as number, { rel: 1e-11, abs: 1e-14 }, `upper at ${s.time}`);
  });
  const m = kaplanMeierMedian(curve);
  expect([m.median, m.lower, m.upper]).toEqual([ref.median, ref.median_lower, ref.median_upper]);
}

describe('Kaplan-Meier with log-log CI and Brookmeyer-Crowley median vs R survfit (survival.json)', () => {
  for (const d of fixture.datasets) {
    for (const arm of d.arms) {
      it(`${d.name}, arm ${arm}`, () => {
        const idx = d.arm.flatMap((a, i) => (a === arm ? [i] : []));
        expectKm(
          idx.map((i) => d.time[i] as number),
          idx.map((i) => d.event[i] as number),
          d.km[arm] as KmFixture,
        );
      });
    }
  }
  it('a median on a flat stretch at exactly 0.5 is the midpoint (R survmean); S = 0 gives no upper limit', () => {
    expectKm(fixture.flat.time_in, fixture.flat.event_in, fixture.flat);
    expect(fixture.flat.median).toBe(4);
  });
  it('rejects malformed data with a typed error', () => {
    expect(() => kaplanMeier([], [])).toThrowError(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => kaplanMeier([1, -2], [1, 0])).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => kaplanMeier([1, 2], [1, 2])).toThrowError(expect.objectContaining({ code: 'NOT_BINARY' }));
    expect(() => kaplanMeier([1, 2], [1])).toThrowError(expect.objectContaining({ code: 'LENGTH_MISMATCH' }));
  });
  it('numbers at risk at chosen times count subjects with time ≥ t', () => {
    expect(numbersAtRisk([1, 2, 2, 3, 4], [0, 2, 2.5, 5])).toEqual([5, 4, 2, 0]);
  });
});

describe('log-rank test vs R survdiff', () => {
  for (const d of fixture.datasets) {
    it(`${d.name}: unstratified and stratified`, () => {
      const r = logRankTest(d.time, d.event, d.arm);
      expectClose(r.chiSquare, d.logrank.chisq, { rel: 1e-11 }, 'chisq');
      expect(r.df).toBe(d.logrank.df);
      expectClose(r.p, d.logrank.p, { rel: 1e-10 }, 'p');
      r.groups.forEach((g, i) => {
        expectClose(g.observed, d.logrank.observed[i] as number, TIGHT, 'observed');
        expectClose(g.expected, d.logrank.expected[i] as number, TIGHT, 'expected');
      });
      const s = logRankTest(d.time, d.event, d.arm, d.stratum);
      expectClose(s.chiSquare, d.logrank_stratified.chisq, { rel: 1e-11 }, 'stratified chisq');
      expectClose(s.p, d.logrank_stratified.p, { rel: 1e-10 }, 'stratified p');
      s.groups.forEach((g, i) => expectClose(g.expected, d.logrank_stratified.expected[i] as number, TIGHT, 'stratified expected'));
    });
  }
  it('needs two groups and an event', () => {
    expect(() => logRankTest([1, 2], [1, 1], ['a', 'a'])).toThrowError(expect.objectContaining({ code: 'EMPTY_GROUP' }));
    expect(() => logRankTest([1, 2], [0, 0], ['a', 'b'])).toThrowError(expect.objectContaining({ code: 'NO_OUTCOME_VARIATION' }));
  });
});

describe('Cox proportional hazards and cox.zph vs R coxph (Efron and Breslow ties, strata, adjustment)', () => {
  // R ran to eps 1e-12; both fits are Newton on the same partial likelihood.
  const COEF = { rel: 1e-8, abs: 1e-10 };
  const check = (fit: ReturnType<typeof coxProportionalHazards>, ref: CoxFixture): void => {
    fit.coefficients.forEach((c, j) => {
      expectClose(c.beta, ref.beta[j] as number, COEF, `beta ${c.name}`);
      expectClose(c.se, ref.se[j] as number, COEF, `se ${c.name}`);
      expectClose(c.lower, ref.lower[j] as number, COEF, `lower ${c.name}`);
      expectClose(c.upper, ref.upper[j] as number, COEF, `upper ${c.name}`);
    });
    expectClose(fit.logLik[0], ref.loglik[0], TIGHT, 'null loglik');
    expectClose(fit.logLik[1], ref.loglik[1], { rel: 1e-12 }, 'loglik');
    expectClose(fit.score.chiSquare, ref.score, { rel: 1e-10 }, 'score test');
    expectClose(fit.wald.chiSquare, ref.wald, COEF, 'Wald test');
    expectClose(fit.likelihoodRatio.chiSquare, ref.lr, { rel: 1e-8, abs: 1e-10 }, 'LR test');
    const zph = coxZph(fit);
    zph.terms.forEach((t, i) => {
      const r = ref.zph[i] as CoxFixture['zph'][number];
      expectClose(t.chiSquare, r.chisq, { rel: 1e-6, abs: 1e-10 }, `zph ${t.term}`);
      expect(t.df).toBe(r.df);
    });
  };
  for (const d of fixture.datasets) {
    const treat = d.arm.map((a) => (a === d.arms[1] ? 1 : 0));
    it(`${d.name}: arm only, Efron and Breslow`, () => {
      check(coxProportionalHazards({ time: d.time, event: d.event, covariates: { treat } }), d.cox_efron);
      check(coxProportionalHazards({ time: d.time, event: d.event, covariates: { treat } }, { ties: 'breslow' }), d.cox_breslow);
    });
    it(`${d.name}: adjusted for age, stratified`, () => {
      check(coxProportionalHazards({ time: d.time, event: d.event, covariates: { treat, age: d.age }, strata: d.stratum }), d.cox_adjusted_stratified);
    });
  }
  it('a covariate that orders the events completely has no finite estimate', () => {
    expect(() => coxProportionalHazards({ time: [1, 2, 3, 4, 5, 6], event: [1, 1, 1, 1, 1, 1], covariates: { x: [6, 5, 4, 3, 2, 1] } })).toThrowError(
      expect.objectContaining({ code: 'NOT_CONVERGED' }),
    );
    expect(() => coxProportionalHazards({ time: [1, 2, 3], event: [1, 1, 0], covariates: { x: [1, 1, 1] } })).toThrowError(expect.objectContaining({ code: 'UNDEFINED_ESTIMATE' }));
  });
});

describe('RMST difference vs R print.survfit(rmean = tau)', () => {
  for (const d of fixture.datasets) {
    it(d.name, () => {
      const pick = (arm: string) => {
        const idx = d.arm.flatMap((a, i) => (a === arm ? [i] : []));
        return { time: idx.map((i) => d.time[i] as number), event: idx.map((i) => d.event[i] as number) };
      };
      const r = rmstDifference(pick(d.arms[1]), pick(d.arms[0]), d.rmst.tau);
      expectClose(r.armA.rmst, d.rmst.armA.rmst, TIGHT, 'rmst A');
      expectClose(r.armA.se, d.rmst.armA.se, { rel: 1e-11 }, 'se A');
      expectClose(r.armB.rmst, d.rmst.armB.rmst, TIGHT, 'rmst B');
      expectClose(r.armB.se, d.rmst.armB.se, { rel: 1e-11 }, 'se B');
      expectClose(r.difference, d.rmst.armA.rmst - d.rmst.armB.rmst, { rel: 1e-12, abs: 1e-12 }, 'difference');
      expectClose(r.se, Math.hypot(d.rmst.armA.se, d.rmst.armB.se), { rel: 1e-11 }, 'difference se');
    });
  }
  it('tau beyond an arm’s follow-up is refused', () => {
    expect(() => rmstDifference({ time: [1, 2], event: [1, 0] }, { time: [1, 5], event: [1, 0] }, 3)).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => restrictedMeanSurvival(kaplanMeier([1], [1]), 0)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('survival decision curve at a horizon vs R (survfit, dcurves method)', () => {
  const ref = readFixture<{ time: number[]; event: number[]; risk: number[]; horizon: number; thresholds: number[]; all: number[]; model: number[] }>('survival-dca.json');
  it('net benefit of treat all and of the model per threshold', () => {
    const rows = survivalNetBenefit({ time: ref.time, event: ref.event, risk: ref.risk }, ref.horizon, ref.thresholds);
    const of = (v: string) => rows.filter((r) => r.variable === v).map((r) => r.netBenefit);
    of('all').forEach((nb, k) => expectClose(nb, ref.all[k] as number, { rel: 1e-12, abs: 1e-14 }, `all at ${ref.thresholds[k]}`));
    of('model').forEach((nb, k) => expectClose(nb, ref.model[k] as number, { rel: 1e-12, abs: 1e-14 }, `model at ${ref.thresholds[k]}`));
    expect(of('none').every((nb) => nb === 0)).toBe(true);
  });
  it('refuses a risk outside [0, 1] and a threshold of 1', () => {
    expect(() => survivalNetBenefit({ time: [1], event: [1], risk: [1.2] }, 1, [0.1])).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => survivalNetBenefit({ time: [1], event: [1], risk: [0.2] }, 1, [1])).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
  });
});
