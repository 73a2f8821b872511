import { ALGORITHM_VERSION } from './algorithm-version';
import type { Allocation, MinimizationDraw } from './allocation';
import { validateCovariates, type EnrollmentCovariates } from './covariates';
import type { MarginalCounts } from './marginal-counts';
import type { MinimizationParameters, RandomizationParameters } from './parameters';
import { createRandomStream } from './random-stream';
import { RandomizationError } from './randomization-error';
import type { SeedInput } from './seed';

export interface AllocateByMinimizationOptions {
  readonly seed: SeedInput;
  readonly params: RandomizationParameters;
  /** Number of patients already randomized in the trial (0 for the first), read under a trial-wide lock. */
  readonly sequenceIndex: number;
  readonly covariates: EnrollmentCovariates;
  /** Counts per factor level per arm of the patients randomized before this one. */
  readonly marginalCounts: MarginalCounts;
  /** Defaults to ALGORITHM_VERSION; replay passes the recorded one. */
  readonly algorithmVersion?: string;
}

function assertMinimization(params: RandomizationParameters): asserts params is MinimizationParameters {
  if (params.method !== 'minimization') {
    throw new RandomizationError('WRONG_METHOD', `the trial uses '${params.method}', not 'minimization'`);
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Reads one level's counts, refusing anything that is not a non-negative integer for a known arm. */
function countsAt(marginalCounts: MarginalCounts, factor: string, level: string, armKeys: readonly string[]): number[] {
  const byArm = marginalCounts[factor]?.[level] ?? {};
  for (const [arm, count] of Object.entries(byArm)) {
    if (!armKeys.includes(arm)) {
      throw new RandomizationError('INVALID_COUNTS', `marginal counts for ${factor}=${level} name unknown arm '${arm}'`, {
        factor,
        value: level,
      });
    }
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RandomizationError('INVALID_COUNTS', `marginal count for ${factor}=${level}, arm '${arm}' must be a non-negative integer; got ${count}`, { factor, value: level });
    }
  }
  return armKeys.map((arm) => byArm[arm] ?? 0);
}

/**
 * Pocock–Simon minimization with a random element, ratio-aware.
 *
 * For each arm a, pretend the patient goes to a; for each factor f (site included) take the counts
 * n_b of the patient's level of f in every arm b, normalize by ratio (n_b / r_b), and measure the
 * imbalance d_f(a) as the range (max − min) or the population variance of the normalized counts.
 * G(a) = Σ_f w_f · d_f(a). Then, from the stream `minimization/${sequenceIndex}`:
 *   u = nextDouble();
 *   if no earlier patient shares any of this patient's (non-zero-weight) factor levels — the first
 *   patient, the first at a new site with new levels — or every arm minimizes G: candidates = all arms;
 *   else if u < p: candidates = the arms minimizing G; else: the other arms;
 *   arm = a draw among the candidates with probability proportional to ratio (nextInt over the
 *   candidates' ratio sum, arms in parameter order).
 * Imbalances are computed on integers (counts scaled by lcm(ratios) / r_b), so ties are exact
 * whenever the weights are integers and the scaled values stay below 2⁵³ (any realistic design:
 * small ratios, thousands of patients); otherwise totals within a relative 1e-9 count as tied.
 *
 * Throws RandomizationError (WRONG_METHOD, STRATUM_FACTOR_MISSING, UNKNOWN_LEVEL, UNKNOWN_FACTOR,
 * INVALID_COUNTS, INVALID_INDEX, INVALID_SEED).
 */
export function allocateByMinimization({ seed, params, sequenceIndex, covariates, marginalCounts, algorithmVersion = ALGORITHM_VERSION }: AllocateByMinimizationOptions): Allocation {
  assertMinimization(params);
  if (!Number.isSafeInteger(sequenceIndex) || sequenceIndex < 0) {
    throw new RandomizationError('INVALID_INDEX', `sequenceIndex must be a non-negative integer; got ${sequenceIndex}`);
  }
  const pairs = validateCovariates({ params, covariates });
  const { arms } = params;
  const { p, imbalance, weights } = params.minimization;
  const armKeys = arms.map((arm) => arm.key);
  const lcm = arms.reduce((acc, arm) => (acc * arm.ratio) / gcd(acc, arm.ratio), 1);
  const scale = arms.map((arm) => lcm / arm.ratio);
  const k = arms.length;
  // Integer imbalance of scaled counts, and the factor turning it into ratio-normalized units.
  const unit = imbalance === 'range' ? lcm : k * k * lcm * lcm;

  const weighted = pairs.map(([factor, level]) => ({ weight: weights?.[factor] ?? 1, counts: countsAt(marginalCounts, factor, level, armKeys) })).filter(({ weight }) => weight > 0);
  const noHistory = weighted.every(({ counts }) => counts.every((n) => n === 0));

  const totals = arms.map((_, a) => {
    let total = 0;
    for (const { weight, counts } of weighted) {
      const scaled = counts.map((n, b) => (n + (a === b ? 1 : 0)) * (scale[b] ?? 1));
      let d: number;
      if (imbalance === 'range') {
        d = Math.max(...scaled) - Math.min(...scaled);
      } else {
        const sum = scaled.reduce((s, c) => s + c, 0);
        const sumOfSquares = scaled.reduce((s, c) => s + c * c, 0);
        d = k * sumOfSquares - sum * sum; // = k² · population variance, exact in integers
      }
      total += weight * d;
    }
    return total;
  });

  const minimum = Math.min(...totals);
  const tolerance = 1e-9 * Math.max(1, Math.abs(minimum));
  const isMinimizing = totals.map((g) => g - minimum <= tolerance);
  const minimizingArms = armKeys.filter((_, a) => isMinimizing[a]);

  const stream = createRandomStream({ seed, algorithmVersion, streamName: `minimization/${sequenceIndex}` });
  const uniform = stream.nextDouble();
  let choice: MinimizationDraw['choice'];
  if (noHistory) choice = 'first';
  else if (minimizingArms.length === k) choice = 'tie';
  else choice = uniform < p ? 'minimizing' : 'other';
  const candidates = choice === 'first' || choice === 'tie' ? arms : arms.filter((_, a) => (choice === 'minimizing') === isMinimizing[a]);
  let ticket = stream.nextInt(candidates.reduce((sum, arm) => sum + arm.ratio, 0));
  let chosen = candidates[0];
  for (const arm of candidates) {
    if (ticket < arm.ratio) {
      chosen = arm;
      break;
    }
    ticket -= arm.ratio;
  }
  if (!chosen) throw new Error('unreachable: no candidate arm');

  return {
    arm: chosen.key,
    algorithmVersion,
    draw: {
      method: 'minimization',
      stream: `minimization/${sequenceIndex}`,
      sequenceIndex,
      uniform,
      imbalanceByArm: Object.fromEntries(armKeys.map((key, a) => [key, (totals[a] ?? 0) / unit])),
      minimizingArms,
      choice,
      candidateArms: candidates.map((arm) => arm.key),
    },
  };
}
