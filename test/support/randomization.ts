/**
 * Shared helpers for server/domain/randomization's unit tests (test support, not shipped).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { EnrollmentCovariates } from '../../server/domain/randomization/covariates';
import { parseRandomizationParameters } from '../../server/domain/randomization/parse-randomization-parameters';
import type { RandomizationParameters } from '../../server/domain/randomization/parameters';

/** A fixed, reproducible 32-byte seed per label: SHA-256 of the label. */
export function seedFor(label: string | number): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`segtrial-test-seed:${label}`).digest());
}

/** Pearson's χ² statistic Σ (O − E)² / E. */
export function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((sum, o, i) => {
    const e = expected[i] ?? 0;
    return sum + ((o - e) * (o - e)) / e;
  }, 0);
}

/**
 * Upper 0.1 % points of the χ² distribution (qchisq(0.999, df) in R), for goodness-of-fit checks.
 * With fixed seeds each check is deterministic; the level only says how unlucky a correct
 * generator would have to be for the chosen seed to fail.
 */
export const CHI_SQUARE_999: Readonly<Record<number, number>> = {
  1: 10.828,
  2: 13.816,
  3: 16.266,
  4: 18.467,
  5: 20.515,
  9: 27.877,
  19: 43.82,
};

export const seedArbitrary = fc.uint8Array({ minLength: 32, maxLength: 32 });

const ARM_KEYS = ['ai_assisted', 'control', 'third'] as const;
const FACTOR_NAMES = ['sex', 'age_band', 'tumor_location', 'field_strength'] as const;
const SITES = ['site-a', 'site-b', 'site-c'] as const;

/** Arms (2–3, ratios 1–3) and 0–2 factors with 1–3 levels each. */
export const designArbitrary = fc.record({
  ratios: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 3 }),
  levelCounts: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
});

export type Design = { readonly ratios: readonly number[]; readonly levelCounts: readonly number[] };

export function armsFor(design: Design) {
  return design.ratios.map((ratio, i) => ({ key: ARM_KEYS[i] ?? `arm_${i}`, label: `Arm ${i}`, ratio }));
}

export function factorsFor(design: Design) {
  return design.levelCounts.map((n, i) => ({
    name: FACTOR_NAMES[i] ?? `factor_${i}`,
    levels: Array.from({ length: n }, (_, j) => `L${j}`),
  }));
}

/** Enrollment covariates from raw random integers (so fast-check can shrink them). */
export function covariatesFor(params: RandomizationParameters, raw: readonly (readonly number[])[]): EnrollmentCovariates[] {
  return raw.map(([siteIndex = 0, ...levelIndexes]) => ({
    site: SITES[siteIndex % SITES.length] ?? 'site-a',
    levels: Object.fromEntries(params.factors.map((factor, i) => [factor.name, factor.levels[(levelIndexes[i] ?? 0) % factor.levels.length] ?? ''])),
  }));
}

export const rawEnrollmentsArbitrary = (maxLength: number) => fc.array(fc.array(fc.nat({ max: 11 }), { minLength: 3, maxLength: 3 }), { maxLength });

export function blocksParamsFor(design: Design, multiples: readonly number[]): RandomizationParameters {
  const ratioSum = design.ratios.reduce((s, r) => s + r, 0);
  return parseRandomizationParameters({
    method: 'permuted_blocks',
    arms: armsFor(design),
    factors: factorsFor(design),
    blockSizes: multiples.map((m) => m * ratioSum),
  });
}
