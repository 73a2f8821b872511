import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALGORITHM_VERSION } from './algorithm-version';
import { allocateByMinimization } from './allocate-by-minimization';
import { allocateNext } from './allocate-next';
import type { Allocation } from './allocation';
import type { EnrollmentCovariates } from './covariates';
import { addToMarginalCounts, type MarginalCounts } from './marginal-counts';
import { parseRandomizationParameters } from './parse-randomization-parameters';
import type { RandomizationParameters } from './parameters';
import { replayAllocations } from './replay-allocations';
import { buildStratumKey } from './stratum-key';
import { armsFor, covariatesFor, designArbitrary, factorsFor, rawEnrollmentsArbitrary, seedArbitrary, seedFor } from '@/test/support/randomization';

/** What the DB layer does, one enrollment at a time, with its counters. */
function recordTrial(params: RandomizationParameters, seed: Uint8Array, enrollments: readonly EnrollmentCovariates[]): Allocation[] {
  const perStratum = new Map<string, number>();
  let counts: MarginalCounts = {};
  return enrollments.map((covariates, sequenceIndex) => {
    if (params.method === 'permuted_blocks') {
      const stratumKey = buildStratumKey({ params, covariates });
      const stratumIndex = perStratum.get(stratumKey) ?? 0;
      perStratum.set(stratumKey, stratumIndex + 1);
      return allocateNext({ seed, params, stratumKey, stratumIndex });
    }
    const allocation = allocateByMinimization({ seed, params, sequenceIndex, covariates, marginalCounts: counts });
    counts = addToMarginalCounts({ counts, covariates, arm: allocation.arm });
    return allocation;
  });
}

const paramsArbitrary = fc
  .tuple(designArbitrary, fc.constantFrom('permuted_blocks' as const, 'minimization' as const))
  .map(([design, method]) => parseRandomizationParameters({ method, arms: armsFor(design), factors: factorsFor(design) }));

describe('replayAllocations', () => {
  it('re-derives every recorded allocation, provenance included, with no mismatch', () => {
    fc.assert(
      fc.property(paramsArbitrary, seedArbitrary, rawEnrollmentsArbitrary(100), (params, seed, raw) => {
        const enrollments = covariatesFor(params, raw);
        const recorded = recordTrial(params, seed, enrollments);
        const replay = replayAllocations({
          seed,
          params,
          algorithmVersion: ALGORITHM_VERSION,
          enrollments: enrollments.map((covariates, i) => ({ id: `P${i}`, covariates, recordedArm: recorded[i]?.arm })),
        });
        expect(replay.mismatches).toEqual([]);
        expect(replay.allocations.map((a) => a.allocation)).toEqual(recorded);
        expect(replay.allocations.map((a) => a.id)).toEqual(enrollments.map((_, i) => `P${i}`));
      }),
      { numRuns: 60 },
    );
  });

  it('reports an altered record as exactly one mismatch, naming it', () => {
    fc.assert(
      fc.property(paramsArbitrary, seedArbitrary, rawEnrollmentsArbitrary(60), fc.nat(), (params, seed, raw, pick) => {
        const enrollments = covariatesFor(params, raw);
        fc.pre(enrollments.length > 0);
        const recorded = recordTrial(params, seed, enrollments).map((a) => a.arm);
        const altered = pick % enrollments.length;
        const other = params.arms.find((arm) => arm.key !== recorded[altered])?.key ?? '';
        const replay = replayAllocations({
          seed,
          params,
          algorithmVersion: ALGORITHM_VERSION,
          enrollments: enrollments.map((covariates, i) => ({
            id: `P${i}`,
            covariates,
            recordedArm: i === altered ? other : recorded[i],
          })),
        });
        expect(replay.mismatches).toEqual([
          {
            index: altered,
            id: `P${altered}`,
            stratumKey: buildStratumKey({ params, covariates: enrollments[altered] as EnrollmentCovariates }),
            recordedArm: other,
            replayedArm: recorded[altered],
          },
        ]);
      }),
      { numRuns: 60 },
    );
  });

  it('with permuted blocks, strata are independent: interleaving them differently changes nothing', () => {
    const params = parseRandomizationParameters({ method: 'permuted_blocks', factors: [{ name: 'sex', levels: ['F', 'M'] }] });
    const seed = seedFor('interleave');
    const enrollments = Array.from({ length: 40 }, (_, i) => ({ site: i % 2 ? 'a' : 'b', levels: { sex: i % 3 ? 'F' : 'M' } }));
    const byStratum = (list: readonly EnrollmentCovariates[]) => {
      const { allocations } = replayAllocations({
        seed,
        params,
        algorithmVersion: ALGORITHM_VERSION,
        enrollments: list.map((covariates) => ({ covariates })),
      });
      const out = new Map<string, string[]>();
      for (const a of allocations) out.set(a.stratumKey, [...(out.get(a.stratumKey) ?? []), a.allocation.arm]);
      return out;
    };
    // A stable sort by stratum keeps each stratum's own order but regroups the trial.
    const regrouped = [...enrollments].sort((x, y) => buildStratumKey({ params, covariates: x }).localeCompare(buildStratumKey({ params, covariates: y })));
    expect(byStratum(regrouped)).toEqual(byStratum(enrollments));
  });

  it('re-derives without recorded arms, and refuses an algorithm version it cannot reproduce', () => {
    const params = parseRandomizationParameters({ method: 'minimization' });
    const enrollments = [{ covariates: { site: 'a', levels: {} } }, { covariates: { site: 'b', levels: {} } }];
    const replay = replayAllocations({ seed: seedFor(1), params, algorithmVersion: ALGORITHM_VERSION, enrollments });
    expect(replay.allocations).toHaveLength(2);
    expect(replay.mismatches).toEqual([]);
    expect(() => replayAllocations({ seed: seedFor(1), params, algorithmVersion: 'segtrial-randomization/0', enrollments })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_ALGORITHM_VERSION', message: expect.stringMatching(/'segtrial-randomization\/0'/) }),
    );
  });

  it('surfaces covariate errors of a recorded enrollment', () => {
    const params = parseRandomizationParameters({ method: 'permuted_blocks', factors: [{ name: 'sex', levels: ['F', 'M'] }] });
    expect(() =>
      replayAllocations({
        seed: seedFor(1),
        params,
        algorithmVersion: ALGORITHM_VERSION,
        enrollments: [{ covariates: { site: 'a', levels: { sex: 'U' } } }],
      }),
    ).toThrow(expect.objectContaining({ code: 'UNKNOWN_LEVEL' }));
  });
});
