import { AnalysisInputError } from './errors';

/** Options of every bootstrap in this module. */
export interface BootstrapOptions {
  /** Number of bootstrap replicates, 1…1,000,000. */
  readonly replicates: number;
  /** Seed of the xoshiro128** stream (`seed >>> 0`). */
  readonly seed: number;
  /** Percentile interval level; default 0.95. */
  readonly confLevel?: number;
}

/**
 * Checks bootstrap options and fills the default confidence level (0.95).
 *
 * Throws `INVALID_ARGUMENT` for a replicate count that is not an integer in 1…1,000,000, a seed
 * that is not a finite integer, or a confidence level outside (0, 1).
 *
 * @example
 * validateBootstrapOptions({ replicates: 200, seed: 7 }); // → { replicates: 200, seed: 7, confLevel: 0.95 }
 */
export function validateBootstrapOptions(options: BootstrapOptions): Required<BootstrapOptions> {
  const { replicates, seed } = options;
  const confLevel = options.confLevel ?? 0.95;
  if (!Number.isInteger(replicates) || replicates < 1 || replicates > 1_000_000) {
    throw new AnalysisInputError('INVALID_ARGUMENT', `replicates must be an integer in 1…1000000, got ${String(replicates)}`);
  }
  if (!Number.isInteger(seed)) throw new AnalysisInputError('INVALID_ARGUMENT', `seed must be an integer, got ${String(seed)}`);
  if (!(confLevel > 0 && confLevel < 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `confLevel must lie in (0, 1), got ${String(confLevel)}`);
  return { replicates, seed, confLevel };
}
