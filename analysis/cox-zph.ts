import { chiSquareUpperTail } from './chi-square-upper-tail';
import type { ChiSquareTest, CoxModel } from './cox-proportional-hazards';
import { coxPartialLikelihood, type CoxEventTime } from './cox-partial-likelihood';
import { AnalysisInputError } from './errors';
import { kaplanMeier } from './kaplan-meier';
import { solveLinearSystem } from './solve-linear-system';

export interface CoxZphTerm extends ChiSquareTest {
  /** A covariate name, a term name from `terms`, or 'GLOBAL'. */
  readonly term: string;
}

export interface CoxZph {
  readonly terms: readonly CoxZphTerm[];
  readonly transform: 'km' | 'identity' | 'log' | 'rank';
  readonly method: 'score test of beta(t) = beta + gamma g(t) (scaled Schoenfeld residuals)';
}

/**
 * Test of proportional hazards per term and globally, as R's `cox.zph(fit, transform = "km")`
 * (survival ≥ 3.0): the score test, at (β̂, γ = 0), of adding x·g(t) to the model, where g is the
 * transformed event time centred on its mean over events — equivalently the correlation of the
 * scaled Schoenfeld residuals with g(t). Per term the test uses all β and that term's γ; the
 * global test all γ. Transform "km" is 1 − KM(t−) of the pooled data.
 * `terms` groups covariate columns into one multi-df term (e.g. the indicators of one factor);
 * by default every covariate is its own term.
 * Reference: P. M. Grambsch & T. M. Therneau (1994), Biometrika 81:515–526; T. M. Therneau,
 * "cox.zph" vignette of R survival 3.x.
 * Throws `INVALID_ARGUMENT` for a term naming an unknown covariate; `UNDEFINED_ESTIMATE` when the
 * augmented information is singular (e.g. a single event time).
 *
 * @example
 * const fit = coxProportionalHazards({ time: [1, 2, 3, 4, 5, 6], event: [1, 1, 1, 1, 0, 1], covariates: { arm: [0, 0, 1, 0, 1, 1] } });
 * coxZph(fit).terms[0]?.chiSquare; // → 0.08226027825097826 (R cox.zph: 0.0822602782510065)
 */
export function coxZph(fit: CoxModel, options: { transform?: 'km' | 'identity' | 'log' | 'rank'; terms?: Readonly<Record<string, readonly string[]>> } = {}): CoxZph {
  const transform = options.transform ?? 'km';
  const { data } = fit;
  const p = data.p;
  const names = fit.coefficients.map((c) => c.name);
  const termColumns: [string, number[]][] = options.terms
    ? Object.entries(options.terms).map(([term, cols]) => [
        term,
        cols.map((c) => {
          const j = names.indexOf(c);
          if (j < 0) throw new AnalysisInputError('INVALID_ARGUMENT', `term '${term}' names covariate '${c}', which is not in the model (${names.join(', ')})`);
          return j;
        }),
      ])
    : names.map((name, j) => [name, [j]]);

  // g(t) for every subject's time, as R: transform of each subject's own time, centred over events.
  const times = Array.from(data.time);
  let g: number[];
  if (transform === 'identity') g = times;
  else if (transform === 'log') g = times.map(Math.log);
  else if (transform === 'rank') {
    const order = Array.from(times.keys()).sort((a, b) => (times[a] as number) - (times[b] as number));
    g = new Array<number>(times.length);
    for (let k = 0; k < order.length;) {
      let m = k;
      while (m < order.length && times[order[m] as number] === times[order[k] as number]) m++;
      for (let q = k; q < m; q++) g[order[q] as number] = (k + 1 + m) / 2;
      k = m;
    }
  } else {
    const km = kaplanMeier(times, Array.from(data.event));
    const stepTimes = km.steps.map((s) => s.time);
    g = times.map((t) => {
      // S(t−): the curve at the last step strictly before t.
      let lo = 0;
      let hi = stepTimes.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((stepTimes[mid] as number) < t) lo = mid + 1;
        else hi = mid;
      }
      return 1 - (lo === 0 ? 1 : (km.steps[lo - 1] as (typeof km.steps)[number]).surv);
    });
  }
  let gSum = 0;
  let gCount = 0;
  data.event.forEach((e, i) => {
    if (e === 1) {
      gSum += g[i] as number;
      gCount++;
    }
  });
  const gMean = gSum / gCount;
  const gAt = new Map<number, number>();
  times.forEach((t, i) => gAt.set(t, (g[i] as number) - gMean));

  // Score and information of the model augmented with x·g(t), at (β̂, γ = 0).
  const u = new Float64Array(2 * p);
  const info = Array.from({ length: 2 * p }, () => new Array<number>(2 * p).fill(0));
  const beta = fit.coefficients.map((c) => c.beta);
  coxPartialLikelihood(data, beta, fit.ties, (e: CoxEventTime) => {
    const gt = gAt.get(e.time) as number;
    for (let a = 0; a < p; a++) {
      u[p + a] = (u[p + a] as number) + gt * (e.score[a] as number);
      for (let b = 0; b < p; b++) {
        const v = e.information[a * p + b] as number;
        (info[a] as number[])[b] = ((info[a] as number[])[b] as number) + v;
        (info[a] as number[])[p + b] = ((info[a] as number[])[p + b] as number) + gt * v;
        (info[p + a] as number[])[b] = ((info[p + a] as number[])[b] as number) + gt * v;
        (info[p + a] as number[])[p + b] = ((info[p + a] as number[])[p + b] as number) + gt * gt * v;
      }
    }
  });
  const scoreTest = (indices: number[]): number => {
    const sub = indices.map((r) => indices.map((c) => (info[r] as number[])[c] as number));
    const rhs = indices.map((r) => u[r] as number);
    const x = solveLinearSystem(sub, rhs);
    return rhs.reduce((acc, v, k) => acc + v * (x[k] as number), 0);
  };
  const base = Array.from({ length: p }, (_, j) => j);
  const terms: CoxZphTerm[] = termColumns.map(([term, cols]) => {
    const chiSquare = scoreTest([...base, ...cols.map((j) => p + j)]);
    return { term, chiSquare, df: cols.length, p: chiSquareUpperTail(chiSquare, cols.length) };
  });
  const global = scoreTest([...base, ...base.map((j) => p + j)]);
  terms.push({ term: 'GLOBAL', chiSquare: global, df: p, p: chiSquareUpperTail(global, p) });
  return { terms, transform, method: 'score test of beta(t) = beta + gamma g(t) (scaled Schoenfeld residuals)' };
}
