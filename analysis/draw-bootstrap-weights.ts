import type { SeededRandom } from './seeded-random';

/**
 * One stratified bootstrap resample, as multiplicities: for each group in order, draws
 * |group| members with replacement (member = group[⌊u·|group|⌋], u = rng.nextFloat()) and counts
 * how often each patient index is drawn into `weights` (which is zeroed first). Group sizes — and
 * so arm × stratum sizes when those are the groups — are preserved in every replicate.
 *
 * Reference: B. Efron & R. J. Tibshirani (1993), An Introduction to the Bootstrap, ch. 6 and
 * §8.3 (stratified/multi-sample bootstrap). The draw order above is a contract: the Python twin
 * in `fixtures/generate.py` repeats it to produce reference intervals.
 *
 * @example
 * const w = new Int32Array(4);
 * drawBootstrapWeights([Uint32Array.of(0, 1), Uint32Array.of(2, 3)], createSeededRandom(1), w);
 * Array.from(w); // → [1, 1, 1, 1] (each group's total stays 2)
 */
export function drawBootstrapWeights(groups: readonly Uint32Array[], rng: SeededRandom, weights: Int32Array): void {
  weights.fill(0);
  for (const group of groups) {
    const size = group.length;
    for (let j = 0; j < size; j++) {
      const pick = group[Math.floor(rng.nextFloat() * size)] as number;
      weights[pick] = (weights[pick] as number) + 1;
    }
  }
}
