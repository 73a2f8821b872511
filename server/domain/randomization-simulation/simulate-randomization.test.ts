import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomizationParametersSchema } from '../randomization/parameters';
import { simulateRandomization } from './simulate-randomization';

// Exact values by enumeration of every block ordering: fixtures/generate-randomization.R (base R).
const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'convergence-guess.json'), 'utf8')) as {
  cases: { ratio: number[]; blockSizes: number[]; correctGuessProbability: number }[];
};

const armsFor = (ratio: readonly number[]) => ratio.map((r, i) => ({ key: `arm${i + 1}`, label: `Arm ${i + 1}`, ratio: r }));

describe('randomization design simulation through the allocation engine', () => {
  for (const c of fixture.cases) {
    it(`permuted blocks ${c.ratio.join(':')} sizes ${c.blockSizes.join('/')}: correct-guess probability as the exact enumeration`, () => {
      const params = randomizationParametersSchema.parse({ method: 'permuted_blocks', arms: armsFor(c.ratio), factors: [], blockSizes: c.blockSizes });
      const sim = simulateRandomization({ params, participants: 1200, sites: ['only'], replicates: 16, seed: `test/${c.blockSizes.join('-')}` });
      const { estimate, standardError } = sim.correctGuessProbability;
      // Monte Carlo error plus the last, incomplete block of each replicate (at most one block in 1,200).
      expect(Math.abs(estimate - c.correctGuessProbability), `estimate ${estimate} ± ${standardError}`).toBeLessThan(5 * standardError + 0.004);
      // A stratum is never further from balance than half its largest block (1:1) allows.
      if (c.ratio.length === 2 && c.ratio[0] === c.ratio[1]) expect(sim.imbalance.largestPerStratum.max).toBeLessThanOrEqual(Math.max(...c.blockSizes) / 2);
    });
  }

  it('stratified blocks over many strata leave more overall imbalance room than one stratum, and a run repeats exactly from its seed', () => {
    const params = randomizationParametersSchema.parse({
      method: 'permuted_blocks',
      arms: armsFor([1, 1]),
      factors: [{ name: 'age_band', levels: ['<50', '50-64', '>=65'] }],
      blockSizes: [2, 4, 6],
    });
    const input = { params, participants: 240, sites: ['site-a', 'site-b', 'site-x'], replicates: 40, seed: 'demo-design' };
    const first = simulateRandomization(input);
    expect(simulateRandomization(input)).toEqual(first);
    expect(first.imbalance.largestPerStratum.max).toBeLessThanOrEqual(3);
    expect(first.imbalance.overall.max).toBeLessThanOrEqual(9 * 3); // nine strata, each at most 3 off
    expect(first.correctGuessProbability.estimate).toBeGreaterThan(0.5);
  });

  it('simulates minimization too, keeping the overall imbalance small', () => {
    const params = randomizationParametersSchema.parse({ method: 'minimization', arms: armsFor([1, 1]), factors: [{ name: 'age_band', levels: ['<50', '50-64', '>=65'] }] });
    const sim = simulateRandomization({ params, participants: 120, sites: ['site-a', 'site-b'], replicates: 10, seed: 'minimization' });
    expect(sim.method).toBe('minimization');
    expect(sim.imbalance.overall.p95).toBeLessThanOrEqual(4);
    expect(sim.excessCorrectGuesses).toBeGreaterThan(0);
  });
});
