import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateByMinimization } from './allocate-by-minimization';
import type { EnrollmentCovariates } from './covariates';
import { addToMarginalCounts, type MarginalCounts } from './marginal-counts';
import { parseRandomizationParameters } from './parse-randomization-parameters';
import { SITE_FACTOR, type MinimizationParameters } from './parameters';
import { CHI_SQUARE_999, armsFor, chiSquare, covariatesFor, designArbitrary, factorsFor, rawEnrollmentsArbitrary, seedArbitrary, seedFor } from '@/test/support/randomization';

function minimizationParams(input: Record<string, unknown>): MinimizationParameters {
  const params = parseRandomizationParameters({ method: 'minimization', ...input });
  if (params.method !== 'minimization') throw new Error('expected minimization parameters');
  return params;
}

/**
 * Independent reference for Pocock–Simon's G(a), written straight from the definition with
 * floating-point normalized counts: Σ_f w_f · imbalance_f(counts / ratio after adding to a).
 */
function referenceTotals(params: MinimizationParameters, counts: MarginalCounts, covariates: EnrollmentCovariates): number[] {
  const pairs: [string, string][] = [[SITE_FACTOR, covariates.site], ...Object.entries(covariates.levels)];
  return params.arms.map((candidate) =>
    pairs.reduce((total, [factor, level]) => {
      const weight = params.minimization.weights?.[factor] ?? 1;
      const x = params.arms.map((arm) => ((counts[factor]?.[level]?.[arm.key] ?? 0) + (arm.key === candidate.key ? 1 : 0)) / arm.ratio);
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      const d = params.minimization.imbalance === 'range' ? Math.max(...x) - Math.min(...x) : x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
      return total + weight * d;
    }, 0),
  );
}

/** Runs a whole trial through allocateByMinimization, as the DB layer would. */
function simulate(params: MinimizationParameters, seed: Uint8Array, enrollments: readonly EnrollmentCovariates[]) {
  let counts: MarginalCounts = {};
  return enrollments.map((covariates, sequenceIndex) => {
    const before = counts;
    const allocation = allocateByMinimization({ seed, params, sequenceIndex, covariates, marginalCounts: counts });
    counts = addToMarginalCounts({ counts, covariates, arm: allocation.arm });
    return { covariates, before, after: counts, allocation };
  });
}

const minimizationDesign = fc.record({
  design: designArbitrary,
  imbalance: fc.constantFrom('range' as const, 'variance' as const),
  weights: fc.array(fc.constantFrom(0.5, 1, 2, 3), { minLength: 3, maxLength: 3 }),
});

function paramsForDesign({ design, imbalance, weights }: typeof minimizationDesign extends fc.Arbitrary<infer T> ? T : never, p: number) {
  const factors = factorsFor(design);
  const names = [SITE_FACTOR, ...factors.map((f) => f.name)];
  return minimizationParams({
    arms: armsFor(design),
    factors,
    minimization: { p, imbalance, weights: Object.fromEntries(names.map((n, i) => [n, weights[i] ?? 1])) },
  });
}

describe('minimization: the rule', () => {
  it('computes G(a) as the reference does, and with p = 1 always assigns an arm minimizing it', () => {
    fc.assert(
      fc.property(minimizationDesign, seedArbitrary, rawEnrollmentsArbitrary(80), (design, seed, raw) => {
        const params = paramsForDesign(design, 1);
        for (const { covariates, before, allocation } of simulate(params, seed, covariatesFor(params, raw))) {
          const draw = allocation.draw;
          if (draw.method !== 'minimization') throw new Error('expected a minimization draw');
          const reference = referenceTotals(params, before, covariates);
          params.arms.forEach((arm, i) => expect(draw.imbalanceByArm[arm.key]).toBeCloseTo(reference[i] ?? NaN, 9));
          const minimum = Math.min(...reference);
          const minimizers = params.arms.filter((_, i) => (reference[i] ?? 0) - minimum < 1e-9).map((a) => a.key);
          expect(draw.minimizingArms).toEqual(minimizers);
          if (draw.choice !== 'first') expect(minimizers).toContain(allocation.arm);
          if (draw.choice === 'first') {
            const pairs = [[SITE_FACTOR, covariates.site], ...Object.entries(covariates.levels)];
            const seen = pairs.some(([f, l]) => Object.values(before[f ?? '']?.[l ?? ''] ?? {}).some((n) => n > 0));
            expect(seen).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('with p < 1 picks the minimizing set iff u < p, the others otherwise, ties and first patients among all arms', () => {
    fc.assert(
      fc.property(minimizationDesign, fc.double({ min: 0, max: 1, noNaN: true }), seedArbitrary, rawEnrollmentsArbitrary(60), (design, p, seed, raw) => {
        const params = paramsForDesign(design, p);
        for (const { allocation } of simulate(params, seed, covariatesFor(params, raw))) {
          const draw = allocation.draw;
          if (draw.method !== 'minimization') throw new Error('expected a minimization draw');
          const all = params.arms.map((a) => a.key);
          if (draw.choice === 'first' || draw.choice === 'tie') {
            expect(draw.candidateArms).toEqual(all);
          } else {
            expect(draw.choice).toBe(draw.uniform < p ? 'minimizing' : 'other');
            const expected = draw.choice === 'minimizing' ? draw.minimizingArms : all.filter((a) => !draw.minimizingArms.includes(a));
            expect(draw.candidateArms).toEqual(expected);
          }
          expect(draw.candidateArms).toContain(allocation.arm);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('minimization: balance guarantees', () => {
  it('with p = 1 and the site as only factor keeps each site within 1 (normalized) — any arms, any ratios', () => {
    // Proof: let R be the site's range of n_b / r_b. Adding the patient to an arm at the minimum
    // gives a range ≤ max(R, 1/r_a) ≤ max(R, 1); the minimizing arm does at least as well, ties and
    // the first patient (R = 0 → 1/r_a ≤ 1) too. By induction R ≤ 1 throughout; for 1:1 designs that
    // is |n_a − n_b| ≤ 1. (Variance gives the same choice for 2 arms or equal ratios.)
    fc.assert(
      fc.property(designArbitrary, fc.constantFrom('range' as const, 'variance' as const), seedArbitrary, rawEnrollmentsArbitrary(150), (design, imbalance, seed, raw) => {
        const equalRatios = new Set(design.ratios).size === 1;
        fc.pre(imbalance === 'range' || equalRatios || design.ratios.length === 2);
        const params = minimizationParams({ arms: armsFor(design), minimization: { p: 1, imbalance } });
        for (const { covariates, after } of simulate(params, seed, covariatesFor(params, raw))) {
          const normalized = params.arms.map((arm) => (after[SITE_FACTOR]?.[covariates.site]?.[arm.key] ?? 0) / arm.ratio);
          expect(Math.max(...normalized) - Math.min(...normalized)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('with p = 0.8, one site, 1:1: |n_A − n_B| follows the biased-coin Markov chain exactly (χ² against its law)', () => {
    // With one factor, D = n_A − n_B moves ±1 with probability ½ from 0 and toward 0 with
    // probability p otherwise. Its exact law after T patients comes from dynamic programming,
    // independent of the engine; 1500 trials of T = 100 patients must match it, and no trial may
    // exceed the bound K for which Σ_t P(|D_t| ≥ K) · trials < 10⁻⁶.
    const p = 0.8;
    const T = 100;
    const trials = 1500;
    const laws: number[][] = [];
    let law = new Map<number, number>([[0, 1]]);
    for (let t = 1; t <= T; t += 1) {
      const next = new Map<number, number>();
      const add = (d: number, q: number) => next.set(d, (next.get(d) ?? 0) + q);
      for (const [d, q] of law) {
        if (d === 0) {
          add(1, q / 2);
          add(-1, q / 2);
        } else {
          add(d - Math.sign(d), q * p);
          add(d + Math.sign(d), q * (1 - p));
        }
      }
      law = next;
      const byAbs = Array<number>(T + 1).fill(0);
      for (const [d, q] of law) byAbs[Math.abs(d)] = (byAbs[Math.abs(d)] ?? 0) + q;
      laws.push(byAbs);
    }
    const tail = (byAbs: readonly number[], k: number) => byAbs.slice(k).reduce((s, q) => s + q, 0);
    let bound = 1;
    while (laws.reduce((s, byAbs) => s + tail(byAbs, bound), 0) * trials >= 1e-6) bound += 1;

    const params = minimizationParams({ minimization: { p } });
    const finalAbs: number[] = [];
    let maxAbs = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      let d = 0;
      for (const { allocation } of simulate(params, seedFor(`chain-${trial}`), Array(T).fill({ site: 's', levels: {} }))) {
        d += allocation.arm === 'ai_assisted' ? 1 : -1;
        maxAbs = Math.max(maxAbs, Math.abs(d));
      }
      finalAbs.push(Math.abs(d));
    }
    expect(maxAbs).toBeLessThan(bound);
    // T is even, so |D_T| ∈ {0, 2, 4, …}; bins 0, 2, 4, ≥ 6.
    const final = laws[T - 1] ?? [];
    const expected = [final[0] ?? 0, final[2] ?? 0, final[4] ?? 0, tail(final, 6)].map((q) => q * trials);
    const observed = [0, 2, 4].map((k) => finalAbs.filter((v) => v === k).length);
    observed.push(finalAbs.filter((v) => v >= 6).length);
    expect(chiSquare(observed, expected)).toBeLessThan(CHI_SQUARE_999[3] ?? 0);
  });

  it('with p = 0.8 and three factors keeps marginal imbalance far below complete randomization', () => {
    // Complete randomization: E|n_A − n_B| for a level with n patients is E|2·Bin(n, ½) − n|
    // (≈ √(2n/π)). Over 100 simulated trials of 300 patients, minimization's mean |D| per level
    // must stay under a quarter of that.
    const params = minimizationParams({
      factors: [
        { name: 'sex', levels: ['F', 'M'] },
        { name: 'age_band', levels: ['<50', '50-64', '>=65'] },
      ],
    });
    const completeRandomization = (n: number) => {
      let e = 0;
      let logChoose = 0; // log C(n, k)
      for (let k = 0; k <= n; k += 1) {
        if (k > 0) logChoose += Math.log((n - k + 1) / k);
        e += Math.exp(logChoose - n * Math.LN2) * Math.abs(2 * k - n);
      }
      return e;
    };
    let minimized = 0;
    let random = 0;
    for (let trial = 0; trial < 100; trial += 1) {
      const seed = seedFor(`marginal-${trial}`);
      const raw = Array.from({ length: 300 }, (_, i) => [(i * 7 + trial) % 3, (i * 5 + trial) % 2, (i * 11 + 2 * trial) % 3]);
      const run = simulate(params, seed, covariatesFor(params, raw));
      const counts = run.at(-1)?.after ?? {};
      for (const byLevel of Object.values(counts)) {
        for (const byArm of Object.values(byLevel)) {
          const a = byArm['ai_assisted'] ?? 0;
          const c = byArm['control'] ?? 0;
          minimized += Math.abs(a - c);
          random += completeRandomization(a + c);
        }
      }
    }
    expect(minimized / random).toBeLessThan(0.25);
  });

  it('keeps a 2:1 ratio overall and assigns p of the non-tied patients to a minimizing arm', () => {
    const p = 0.8;
    const params = minimizationParams({
      arms: [
        { key: 'ai_assisted', label: 'AI-assisted', ratio: 2 },
        { key: 'control', label: 'Control', ratio: 1 },
      ],
      factors: [{ name: 'sex', levels: ['F', 'M'] }],
      minimization: { p },
    });
    let ai = 0;
    let total = 0;
    let decided = 0;
    let minimizing = 0;
    for (let trial = 0; trial < 100; trial += 1) {
      const raw = Array.from({ length: 300 }, (_, i) => [(i * 7 + trial) % 3, (i * 3 + trial) % 2, 0]);
      for (const { allocation } of simulate(params, seedFor(`ratio-${trial}`), covariatesFor(params, raw))) {
        total += 1;
        if (allocation.arm === 'ai_assisted') ai += 1;
        if (allocation.draw.method === 'minimization' && (allocation.draw.choice === 'minimizing' || allocation.draw.choice === 'other')) {
          decided += 1;
          if (allocation.draw.choice === 'minimizing') minimizing += 1;
        }
      }
    }
    expect(Math.abs(ai / total - 2 / 3)).toBeLessThan(0.01);
    // Binomial: within 4 standard errors of p.
    expect(Math.abs(minimizing / decided - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / decided));
  });

  it.each([
    [[1, 1], 4000],
    [[2, 1], 4500],
  ])('draws the first patient at random in proportion to the ratio %j', (ratios, trials) => {
    const params = minimizationParams({ arms: armsFor({ ratios, levelCounts: [] }) });
    let first = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      const allocation = allocateByMinimization({
        seed: seedFor(`first-${trial}`),
        params,
        sequenceIndex: 0,
        covariates: { site: 'a', levels: {} },
        marginalCounts: {},
      });
      expect(allocation.draw.method === 'minimization' && allocation.draw.choice).toBe('first');
      if (allocation.arm === 'ai_assisted') first += 1;
    }
    const counts = [first, trials - first];
    const sum = ratios.reduce((s, r) => s + r, 0);
    expect(
      chiSquare(
        counts,
        ratios.map((r) => (trials * r) / sum),
      ),
    ).toBeLessThan(CHI_SQUARE_999[1] ?? 0);
  });
});

describe('allocateByMinimization: determinism and errors', () => {
  const params = minimizationParams({ factors: [{ name: 'sex', levels: ['F', 'M'] }] });
  const covariates = { site: 'a', levels: { sex: 'F' } };

  it('gives the same list for the same seed and a different one for another seed', () => {
    fc.assert(
      fc.property(seedArbitrary, seedArbitrary, (seedA, seedB) => {
        fc.pre(Buffer.compare(Buffer.from(seedA), Buffer.from(seedB)) !== 0);
        const enrollments = Array.from({ length: 200 }, (_, i) => ({ site: `s${i % 2}`, levels: { sex: i % 3 ? 'F' : 'M' } }));
        const arms = (seed: Uint8Array) => simulate(params, seed, enrollments).map((r) => r.allocation.arm);
        const a = arms(seedA);
        expect(arms(seedA)).toEqual(a);
        // ≥ 1 − 0.8 = 0.2 chance per patient of an independent-coin difference: 200 patients make a
        // full match vanishingly unlikely (the first patients alone are fair coins).
        expect(arms(seedB)).not.toEqual(a);
      }),
      { numRuns: 30 },
    );
  });

  it('pins the first allocations for a fixed seed (a change here needs a new ALGORITHM_VERSION)', () => {
    const seed = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
    const enrollments = Array.from({ length: 12 }, (_, i) => ({ site: `s${i % 2}`, levels: { sex: i % 3 ? 'F' : 'M' } }));
    const arms = simulate(params, normalizeHex(seed), enrollments).map((r) => (r.allocation.arm === 'ai_assisted' ? 'A' : 'C'));
    // Same sequence from the independent Python implementation in reference/reference_allocations.py.
    expect(arms.join('')).toBe('CACAACACACCA');
  });

  it.each([
    [{ site: { a: { ai_assisted: -1 } } }, /must be a non-negative integer; got -1/],
    [{ sex: { F: { ai_assisted: 1.5 } } }, /sex=F, arm 'ai_assisted' .* got 1\.5/],
    [{ site: { a: { placebo: 1 } } }, /unknown arm 'placebo'/],
  ])('refuses invalid marginal counts %j (INVALID_COUNTS)', (marginalCounts, message) => {
    expect(() => allocateByMinimization({ seed: seedFor(0), params, sequenceIndex: 3, covariates, marginalCounts })).toThrow(
      expect.objectContaining({ code: 'INVALID_COUNTS', message: expect.stringMatching(message) }),
    );
  });

  it('refuses a bad index, bad covariates and permuted-blocks parameters', () => {
    const seed = seedFor(0);
    expect(() => allocateByMinimization({ seed, params, sequenceIndex: 1.5, covariates, marginalCounts: {} })).toThrow(expect.objectContaining({ code: 'INVALID_INDEX' }));
    expect(() => allocateByMinimization({ seed, params, sequenceIndex: 0, covariates: { site: 'a', levels: { sex: 'X' } }, marginalCounts: {} })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_LEVEL', details: { factor: 'sex', value: 'X' } }),
    );
    const blocks = parseRandomizationParameters({ method: 'permuted_blocks' });
    expect(() => allocateByMinimization({ seed, params: blocks, sequenceIndex: 0, covariates: { site: 'a', levels: {} }, marginalCounts: {} })).toThrow(
      expect.objectContaining({ code: 'WRONG_METHOD' }),
    );
  });
});

function normalizeHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
