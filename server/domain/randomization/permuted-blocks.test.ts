import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALGORITHM_VERSION } from './algorithm-version';
import { allocateNext } from './allocate-next';
import { blockAllocationAt, generateBlockAllocations, type BlockAllocation } from './block-allocations';
import { parseRandomizationParameters } from './parse-randomization-parameters';
import type { PermutedBlocksParameters } from './parameters';
import { buildStratumKey } from './stratum-key';
import { CHI_SQUARE_999, blocksParamsFor, chiSquare, covariatesFor, designArbitrary, rawEnrollmentsArbitrary, seedArbitrary, seedFor } from '@/test/support/randomization';

function take(count: number, options: Parameters<typeof generateBlockAllocations>[0]): BlockAllocation[] {
  const sequence = generateBlockAllocations(options);
  return Array.from({ length: count }, () => sequence.next().value);
}

const multiplesArbitrary = fc.subarray([1, 2, 3, 4], { minLength: 1 });

describe('stratified permuted blocks: balance', () => {
  it('keeps every stratum within maxBlock / S (ratio-normalized) at every point and exactly in ratio at each block end', () => {
    // S = ratio sum. Within a block of size b an arm a holds between 0 and r_a·b/S of its
    // positions, so mid-block the normalized counts n_a / r_a differ by at most b / S ≤ maxBlock / S
    // (for 1:1 that is half the largest block size); at a block end every n_a / r_a is equal.
    fc.assert(
      fc.property(designArbitrary, multiplesArbitrary, seedArbitrary, rawEnrollmentsArbitrary(120), (design, multiples, seed, raw) => {
        const params = blocksParamsFor(design, multiples) as PermutedBlocksParameters;
        const ratioSum = params.arms.reduce((s, a) => s + a.ratio, 0);
        const bound = Math.max(...params.blockSizes) / ratioSum;
        const counts = new Map<string, Map<string, number>>();
        for (const covariates of covariatesFor(params, raw)) {
          const stratumKey = buildStratumKey({ params, covariates });
          const inStratum = counts.get(stratumKey) ?? new Map<string, number>();
          counts.set(stratumKey, inStratum);
          const stratumIndex = [...inStratum.values()].reduce((s, n) => s + n, 0);
          const allocation = allocateNext({ seed, params, stratumKey, stratumIndex });
          inStratum.set(allocation.arm, (inStratum.get(allocation.arm) ?? 0) + 1);

          const normalized = params.arms.map((arm) => (inStratum.get(arm.key) ?? 0) / arm.ratio);
          expect(Math.max(...normalized) - Math.min(...normalized)).toBeLessThanOrEqual(bound);
          expect(params.blockSizes).toContain(allocation.blockSize);
          if (allocation.positionInBlock === (allocation.blockSize ?? 0) - 1) {
            expect(new Set(normalized).size).toBe(1);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('builds every block with exactly r_a · size / S positions of each arm', () => {
    fc.assert(
      fc.property(designArbitrary, multiplesArbitrary, seedArbitrary, (design, multiples, seed) => {
        const params = blocksParamsFor(design, multiples) as PermutedBlocksParameters;
        const ratioSum = params.arms.reduce((s, a) => s + a.ratio, 0);
        const [covariates] = covariatesFor(params, [[0, 0, 0]]);
        const stratumKey = covariates ? buildStratumKey({ params, covariates }) : '';
        const allocations = take(200, { seed, params, stratumKey });
        const blocks = new Map<number, BlockAllocation[]>();
        for (const a of allocations) blocks.set(a.blockIndex, [...(blocks.get(a.blockIndex) ?? []), a]);
        for (const block of blocks.values()) {
          const first = block[0];
          if (!first || block.length < first.blockSize) continue; // the last, cut-off block
          expect(block.map((a) => a.positionInBlock)).toEqual(block.map((_, i) => i));
          expect(block.every((a) => a.blockStartIndex === first.stratumIndex)).toBe(true);
          for (const arm of params.arms) {
            expect(block.filter((a) => a.arm === arm.key)).toHaveLength((arm.ratio * first.blockSize) / ratioSum);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('stratified permuted blocks: ratio 2:1', () => {
  const params = parseRandomizationParameters({
    method: 'permuted_blocks',
    arms: [
      { key: 'ai_assisted', label: 'AI-assisted', ratio: 2 },
      { key: 'control', label: 'Control', ratio: 1 },
    ],
    blockSizes: [3],
  });

  it('fills each block of 3 with two AI-assisted and one control, in each of the 3 orders equally often', () => {
    const allocations = take(3 * 3000, { seed: seedFor('two-to-one'), params, stratumKey: 'site=site-a' });
    const patterns = new Map<string, number>();
    for (let i = 0; i < allocations.length; i += 3) {
      const pattern = allocations
        .slice(i, i + 3)
        .map((a) => (a.arm === 'ai_assisted' ? 'A' : 'C'))
        .join('');
      patterns.set(pattern, (patterns.get(pattern) ?? 0) + 1);
    }
    expect([...patterns.keys()].sort()).toEqual(['AAC', 'ACA', 'CAA']);
    expect(chiSquare([...patterns.values()], [1000, 1000, 1000])).toBeLessThan(CHI_SQUARE_999[2] ?? 0);
  });

  it('with block sizes {3, 6} draws each size equally often and keeps 2:1 at every block end', () => {
    const mixed = parseRandomizationParameters({ ...params, blockSizes: [3, 6] });
    const allocations = take(6000, { seed: seedFor('two-to-one-mixed'), params: mixed, stratumKey: 'site=site-b' });
    let small = 0;
    let large = 0;
    let ai = 0;
    for (const [i, a] of allocations.entries()) {
      if (a.arm === 'ai_assisted') ai += 1;
      if (a.positionInBlock === 0 && a.blockSize === 3) small += 1;
      if (a.positionInBlock === 0 && a.blockSize === 6) large += 1;
      if (a.positionInBlock === a.blockSize - 1) expect(ai).toBe((2 * (i + 1)) / 3);
    }
    const blocks = small + large;
    expect(chiSquare([small, large], [blocks / 2, blocks / 2])).toBeLessThan(CHI_SQUARE_999[1] ?? 0);
  });
});

describe('stratified permuted blocks: randomness of the order', () => {
  it('makes all 6 orders of a 1:1 block of 4 equally likely (χ², 6000 blocks)', () => {
    const params = parseRandomizationParameters({ method: 'permuted_blocks', blockSizes: [4] });
    const allocations = take(4 * 6000, { seed: seedFor('orders'), params, stratumKey: 'site=site-a' });
    const patterns = new Map<string, number>();
    for (let i = 0; i < allocations.length; i += 4) {
      const pattern = allocations
        .slice(i, i + 4)
        .map((a) => (a.arm === 'ai_assisted' ? 'A' : 'C'))
        .join('');
      patterns.set(pattern, (patterns.get(pattern) ?? 0) + 1);
    }
    expect(patterns.size).toBe(6);
    expect(chiSquare([...patterns.values()], Array<number>(6).fill(1000))).toBeLessThan(CHI_SQUARE_999[5] ?? 0);
  });
});

describe('stratified permuted blocks: determinism', () => {
  const params = parseRandomizationParameters({
    method: 'permuted_blocks',
    factors: [{ name: 'sex', levels: ['F', 'M'] }],
  });

  it('gives the same sequence for the same seed, and a different one for another seed or stratum', () => {
    fc.assert(
      fc.property(seedArbitrary, seedArbitrary, (seedA, seedB) => {
        fc.pre(Buffer.compare(Buffer.from(seedA), Buffer.from(seedB)) !== 0);
        const arms = (seed: Uint8Array, stratumKey: string) => take(200, { seed, params, stratumKey }).map((a) => a.arm);
        const a = arms(seedA, 'site=x|sex=F');
        expect(arms(seedA, 'site=x|sex=F')).toEqual(a);
        // 200 allocations in blocks of ≤ 6 hold ≥ 33 independent blocks, each with ≥ 2 equally
        // likely orders: an accidental match has probability ≤ 2^-33.
        expect(arms(seedB, 'site=x|sex=F')).not.toEqual(a);
        expect(arms(seedA, 'site=x|sex=M')).not.toEqual(a);
      }),
      { numRuns: 50 },
    );
  });

  it('blockAllocationAt(k) is the k-th element of the stratum sequence', () => {
    const seed = seedFor('at');
    const sequence = take(60, { seed, params, stratumKey: 'site=x|sex=M' });
    for (const [k, expected] of sequence.entries()) {
      expect(blockAllocationAt({ seed, params, stratumKey: 'site=x|sex=M', stratumIndex: k })).toEqual(expected);
    }
  });

  it('pins the first allocations for a fixed seed (a change here needs a new ALGORITHM_VERSION)', () => {
    const seed = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
    const arms = take(12, { seed, params, stratumKey: 'site=site-a|sex=F' }).map((a) => `${a.arm === 'ai_assisted' ? 'A' : 'C'}${a.blockSize}`);
    // Same sequence from the independent Python implementation in reference/reference_allocations.py.
    expect(arms.join(' ')).toBe('C6 A6 C6 C6 A6 A6 C2 A2 C2 A2 C2 A2');
  });
});

describe('allocateNext', () => {
  const params = parseRandomizationParameters({ method: 'permuted_blocks', factors: [{ name: 'sex', levels: ['F', 'M'] }] });
  const seed = seedFor('next');

  it('returns the arm with its block and stream as provenance', () => {
    const allocation = allocateNext({ seed, params, stratumKey: 'site=a|sex=F', stratumIndex: 7 });
    const expected = blockAllocationAt({ seed, params, stratumKey: 'site=a|sex=F', stratumIndex: 7 });
    expect(allocation).toEqual({
      arm: expected.arm,
      algorithmVersion: ALGORITHM_VERSION,
      blockSize: expected.blockSize,
      positionInBlock: expected.positionInBlock,
      draw: {
        method: 'permuted_blocks',
        stream: 'site=a|sex=F',
        stratumIndex: 7,
        blockIndex: expected.blockIndex,
        blockStartIndex: expected.blockStartIndex,
      },
    });
  });

  it('refuses a bad index, a non-canonical stratum key and minimization parameters', () => {
    expect(() => allocateNext({ seed, params, stratumKey: 'site=a|sex=F', stratumIndex: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_INDEX' }));
    expect(() => allocateNext({ seed, params, stratumKey: 'site=a', stratumIndex: 0 })).toThrow(expect.objectContaining({ code: 'STRATUM_FACTOR_MISSING' }));
    expect(() => allocateNext({ seed, params, stratumKey: 'sex=F|site=a', stratumIndex: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_STRATUM_KEY' }));
    const minimization = parseRandomizationParameters({ method: 'minimization' });
    expect(() => allocateNext({ seed, params: minimization, stratumKey: 'site=a', stratumIndex: 0 })).toThrow(expect.objectContaining({ code: 'WRONG_METHOD' }));
    expect(() => allocateNext({ seed: 'abc', params, stratumKey: 'site=a|sex=F', stratumIndex: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_SEED' }));
  });
});
