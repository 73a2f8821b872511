import { describe, expect, it } from 'vitest';
import { blindSpotFlag } from './blind-spot-flag';
import { AnalysisInputError } from './errors';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { regularizedIncompleteBeta } from './regularized-incomplete-beta';
import { studentTCdf } from './student-t-cdf';
import { studentTQuantile } from './student-t-quantile';
import { subgroupArmEffects } from './subgroup-arm-effects';
import { subgroupModelPerformance } from './subgroup-model-performance';
import { summarizeReviewActions, type ReviewAction } from './summarize-review-actions';
import { summarizeValues, type ValueSummary } from './summarize-values';

type Triple = [number, number, number];
interface RSummary {
  n: number;
  nonFinite: number;
  mean: number;
  sd: number;
  ci: [number, number];
  quartiles: Triple;
  min: number;
  max: number;
}
interface Fixture {
  studentT: { p: number; df: number; q: number; cdf_at: number; cdf: number }[];
  incompleteBeta: { x: number; a: number; b: number; value: number }[];
  summaries: { values: number[]; summary: RSummary }[];
  performance: {
    threshold: number;
    outcome: number[];
    risk: number[];
    site: string[];
    sex: string[];
    bySite: PerfRow[];
    bySex: PerfRow[];
  };
  armEffects: {
    outcome: number[];
    arm: string[];
    site: string[];
    sex: string[];
    age_band: string[];
    covariates: Record<string, { levels: { level: string; armA: Triple; armB: Triple; rd: Triple }[]; statistic: number; df: number; p: number }>;
    holm: number[];
    bh: number[];
  };
  reviews: {
    group: string[];
    action: string[];
    seconds: number[];
    dice: number[];
    summaries: { group: string; n: number; accepted: Triple; edited: Triple; rejected: Triple; seconds: RSummary; dice: RSummary }[];
  };
}
interface PerfRow {
  level: string;
  n: number;
  events: number;
  sensitivity: Triple;
  specificity: Triple;
  auc: Triple;
  calibration: [number, number];
  difference: Triple;
  ratio: Triple;
}
const fx = readFixture<Fixture>('summaries.json');
const rel = (a: number, e: number, r: number, what: string) => expectClose(a, e, { rel: r, abs: r * 1e-3 }, what);

function expectSummary(got: ValueSummary, want: RSummary, what: string) {
  expect(got.n, `${what} n`).toBe(want.n);
  expect(got.nonFinite, `${what} nonFinite`).toBe(want.nonFinite);
  rel(got.mean, want.mean, 1e-13, `${what} mean`);
  rel(got.sd ?? Number.NaN, want.sd, 1e-12, `${what} sd`);
  rel(got.meanLower ?? Number.NaN, want.ci[0], 1e-10, `${what} t CI lower`);
  rel(got.meanUpper ?? Number.NaN, want.ci[1], 1e-10, `${what} t CI upper`);
  rel(got.q1, want.quartiles[0], 1e-13, `${what} q1`);
  rel(got.median, want.quartiles[1], 1e-13, `${what} median`);
  rel(got.q3, want.quartiles[2], 1e-13, `${what} q3`);
  expect(got.min).toBe(want.min);
  expect(got.max).toBe(want.max);
}

describe('Student t and incomplete beta against R qt/pt/pbeta', () => {
  it('quantiles (rel 1e-10) and CDF (rel 1e-12)', () => {
    for (const r of fx.studentT) {
      rel(studentTQuantile(r.p, r.df), r.q, 1e-10, `qt(${r.p}, ${r.df})`);
      rel(studentTCdf(r.cdf_at, r.df), r.cdf, 1e-12, `pt(${r.cdf_at}, ${r.df})`);
    }
  });
  it('pbeta (rel 1e-12)', () => {
    for (const r of fx.incompleteBeta) rel(regularizedIncompleteBeta(r.x, r.a, r.b), r.value, 1e-12, `pbeta(${r.x}, ${r.a}, ${r.b})`);
  });
  it('refuses p outside (0, 1) and df ≤ 0', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(AnalysisInputError);
    expect(() => studentTCdf(1, 0)).toThrow(AnalysisInputError);
  });
});

describe('summarizeValues against R t.test / sd / quantile', () => {
  it('clips the t interval to the metric range and says so (Dice 0.608 to 1.199 was reported before)', () => {
    const r = summarizeValues([0.99, 0.62, 0.98, 0.97], 0.95, { range: [0, 1] });
    expect(r.meanUpper).toBe(1);
    expect(r.clipped).toBe(true);
    const inside = summarizeValues([0.8, 0.82, 0.81], 0.95, { range: [0, 1] });
    expect(inside.clipped).toBe(false);
    expect(() => summarizeValues([1], 0.95, { range: [1, 0] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
  fx.summaries.forEach((s, k) => it(`vector ${k}`, () => expectSummary(summarizeValues(s.values), s.summary, `vector ${k}`)));
  it('one value: no spread and no interval (null, never NaN); nothing finite throws EMPTY_INPUT', () => {
    const one = summarizeValues([0.7]);
    expect(one.sd).toBeNull();
    expect([one.meanLower, one.meanUpper]).toEqual([null, null]);
    expect(() => summarizeValues([Infinity, Number.NaN])).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
  });
});

describe('subgroupModelPerformance against R (prop.test, DeLong, glm, Newcombe, Katz)', () => {
  const p = fx.performance;
  for (const [covariate, levels, reference, rows] of [
    ['site', p.site, 'site-a', p.bySite],
    ['sex', p.sex, 'F', p.bySex],
  ] as const) {
    it(`by ${covariate}`, () => {
      const got = subgroupModelPerformance({ outcome: p.outcome, risk: p.risk, levels, threshold: p.threshold, reference });
      expect(got.reference).toBe(reference);
      expect(got.levels.map((l) => l.level)).toEqual(rows.map((r) => r.level));
      got.levels.forEach((l, i) => {
        const r = rows[i]!;
        expect([l.n, l.events]).toEqual([r.n, r.events]);
        const triple = (x: { estimate: number; lower: number; upper: number } | null, want: Triple, what: string, tol = 1e-12) => {
          expect(x, what).not.toBeNull();
          rel(x!.estimate, want[0], tol, `${what} estimate`);
          rel(x!.lower, want[1], tol, `${what} lower`);
          rel(x!.upper, want[2], tol, `${what} upper`);
        };
        triple(l.sensitivity, r.sensitivity, `${r.level} sensitivity`);
        triple(l.specificity, r.specificity, `${r.level} specificity`);
        triple(l.auc && { estimate: l.auc.auc, lower: l.auc.lower, upper: l.auc.upper }, r.auc, `${r.level} AUC`);
        rel(l.calibration!.intercept.estimate, r.calibration[0], 1e-9, `${r.level} calibration intercept`);
        rel(l.calibration!.slope.estimate, r.calibration[1], 1e-9, `${r.level} calibration slope`);
        triple(l.sensitivityDisparity!.difference, r.difference, `${r.level} sensitivity difference`);
        triple(l.sensitivityDisparity!.ratio, r.ratio, `${r.level} sensitivity ratio`);
        expect(l.disparityFlag).toBe(Math.abs(r.difference[0]) > 0.1);
        expect(l.blindSpot?.flagged).toBe(r.sensitivity[0] < 0.8);
      });
    });
  }
  it('a level without events reports specificity and lists what it cannot compute', () => {
    const got = subgroupModelPerformance({ outcome: [1, 0, 1, 0, 0, 0], risk: [0.9, 0.2, 0.7, 0.1, 0.6, 0.3], levels: ['a', 'a', 'a', 'b', 'b', null], threshold: 0.5 });
    const b = got.levels.find((l) => l.level === 'b')!;
    expect(b.sensitivity).toBeNull();
    expect(b.specificity?.estimate).toBe(0.5);
    expect(b.notComputed.map((x) => x.figure)).toEqual(['sensitivity', 'AUC', 'calibration', 'sensitivity disparity']);
    expect(b.smallSample.flagged).toBe(true);
    expect(got.levels.reduce((s, l) => s + l.n, 0)).toBe(5);
  });
  it('blind-spot flag: confirmed only when the whole interval is below the floor', () => {
    expect(blindSpotFlag({ estimate: 0.62, lower: 0.41, upper: 0.79 }, 0.8, { n: 40 })).toEqual({ flagged: true, confirmed: true, floor: 0.8, evaluated: true, minN: 10 });
    expect(blindSpotFlag({ estimate: 0.7, lower: 0.5, upper: 0.85 }, 0.8, { n: 40 })).toMatchObject({ flagged: true, confirmed: false });
    expect(blindSpotFlag({ estimate: Number.NaN, lower: 0, upper: 1 }, 0.8, { n: 40 }).flagged).toBe(false);
    // 0 of 3 positives detected: a Wilson interval of 0 to 0.56 would "confirm" a blind spot on 3 patients.
    expect(blindSpotFlag({ estimate: 0, lower: 0, upper: 0.5615 }, 0.8, { n: 3 })).toMatchObject({ flagged: false, confirmed: false, evaluated: false });
    expect(blindSpotFlag({ estimate: 0, lower: 0, upper: 0.5615 }, 0.8, { n: 3, minN: 3 }).confirmed).toBe(true);
  });
});

describe('subgroupArmEffects against R (Newcombe, saturated glm Wald test, p.adjust)', () => {
  const a = fx.armEffects;
  it('per level, interaction and adjusted p-values', () => {
    const got = subgroupArmEffects({ outcome: a.outcome, arm: a.arm, armA: 'ai', armB: 'control', covariates: { site: a.site, sex: a.sex, age_band: a.age_band } });
    got.forEach((c, k) => {
      const want = a.covariates[c.covariate]!;
      expect(c.levels.map((l) => l.level)).toEqual(want.levels.map((l) => l.level));
      c.levels.forEach((l, i) => {
        const w = want.levels[i]!;
        rel(l.armA!.estimate, w.armA[0], 1e-12, 'arm A');
        rel(l.armA!.lower, w.armA[1], 1e-12, 'arm A lower');
        rel(l.armB!.upper, w.armB[2], 1e-12, 'arm B upper');
        rel(l.riskDifference!.estimate, w.rd[0], 1e-12, 'RD');
        rel(l.riskDifference!.lower, w.rd[1], 1e-12, 'RD lower');
        rel(l.riskDifference!.upper, w.rd[2], 1e-12, 'RD upper');
      });
      rel(c.interaction!.statistic, want.statistic, 1e-9, `${c.covariate} interaction statistic`);
      expect(c.interaction!.df).toBe(want.df);
      rel(c.interaction!.pValue, want.p, 1e-9, `${c.covariate} interaction p`);
      rel(c.pHolm!, a.holm[k]!, 1e-9, `${c.covariate} Holm`);
      rel(c.pBenjaminiHochberg!, a.bh[k]!, 1e-9, `${c.covariate} BH`);
    });
  });
  it('a covariate with one testable level gets no interaction test, and says why', () => {
    const got = subgroupArmEffects({ outcome: [1, 0, 1, 0], arm: ['ai', 'control', 'ai', 'ai'], armA: 'ai', armB: 'control', covariates: { sex: ['F', 'F', 'M', 'M'] } });
    expect(got[0]!.interaction).toBeNull();
    expect(got[0]!.interactionNotComputed).toMatch(/fewer than two levels/);
    expect(got[0]!.levels[1]!.armB).toBeNull();
    expect(got[0]!.levels[1]!.notComputed.map((x) => x.figure)).toEqual(['proportion control', 'risk difference']);
  });
});

describe('summarizeReviewActions against R (prop.test, t.test, quantile)', () => {
  it('per reader', () => {
    const r = fx.reviews;
    const records = r.group.map((group, i) => ({ group, action: r.action[i] as ReviewAction, secondsToDecision: r.seconds[i]!, diceProposalToFinal: r.dice[i] === -1 ? null : r.dice[i]! }));
    const got = summarizeReviewActions(records);
    got.forEach((g, k) => {
      const want = r.summaries[k]!;
      expect(g.group).toBe(want.group);
      expect(g.n).toBe(want.n);
      for (const key of ['accepted', 'edited', 'rejected'] as const) {
        rel(g[key]!.estimate, want[key][0], 1e-12, `${key}`);
        rel(g[key]!.lower, want[key][1], 1e-12, `${key} lower`);
        rel(g[key]!.upper, want[key][2], 1e-12, `${key} upper`);
      }
      expectSummary(g.secondsToDecision!, want.seconds, 'seconds');
      expectSummary(g.diceProposalToFinal!, want.dice, 'dice');
    });
  });
  it('control-arm reviews (no proposal) have no rates', () => {
    const [g] = summarizeReviewActions([{ group: 'control', action: null, secondsToDecision: 90, diceProposalToFinal: null }]);
    expect(g!.accepted).toBeNull();
    expect(g!.secondsToDecision?.n).toBe(1);
    expect(() => summarizeReviewActions([])).toThrow(AnalysisInputError);
  });
});
