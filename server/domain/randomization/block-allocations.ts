import { ALGORITHM_VERSION } from './algorithm-version';
import type { PermutedBlocksParameters, RandomizationParameters } from './parameters';
import { createRandomStream } from './random-stream';
import { RandomizationError } from './randomization-error';
import type { SeedInput } from './seed';
import { parseStratumKey } from './stratum-key';

/** One position of a stratum's allocation sequence under permuted blocks. */
export interface BlockAllocation {
  readonly arm: string;
  /** 0-based index within the stratum. */
  readonly stratumIndex: number;
  readonly blockIndex: number;
  readonly blockSize: number;
  /** stratumIndex of the block's first position. */
  readonly blockStartIndex: number;
  /** 0-based position within the block. */
  readonly positionInBlock: number;
}

export interface GenerateBlockAllocationsOptions {
  readonly seed: SeedInput;
  readonly params: RandomizationParameters;
  /** Canonical key (see buildStratumKey); it names the stratum's random stream. */
  readonly stratumKey: string;
  /** Defaults to ALGORITHM_VERSION; replay passes the recorded one. */
  readonly algorithmVersion?: string;
}

function assertPermutedBlocks(params: RandomizationParameters): asserts params is PermutedBlocksParameters {
  if (params.method !== 'permuted_blocks') {
    throw new RandomizationError('WRONG_METHOD', `the trial uses '${params.method}', not 'permuted_blocks'`);
  }
}

/**
 * The (endless) allocation sequence of one stratum. Per block, from the stratum's stream:
 *   1. size = blockSizes[nextInt(blockSizes.length)]
 *   2. lay out the arms in parameter order, arm a repeated ratio_a · size / S times (S = ratio sum)
 *   3. Fisher–Yates shuffle: for i = size−1 down to 1, swap positions i and nextInt(i + 1).
 * So the k-th allocation of a stratum is a pure function of (seed, params, stratum key, k, version).
 */
export function* generateBlockAllocations({ seed, params, stratumKey, algorithmVersion = ALGORITHM_VERSION }: GenerateBlockAllocationsOptions): Generator<BlockAllocation, never, undefined> {
  assertPermutedBlocks(params);
  parseStratumKey({ params, stratumKey });
  const stream = createRandomStream({ seed, algorithmVersion, streamName: stratumKey });
  const ratioSum = params.arms.reduce((sum, arm) => sum + arm.ratio, 0);
  let stratumIndex = 0;
  for (let blockIndex = 0; ; blockIndex += 1) {
    const blockSize = params.blockSizes[stream.nextInt(params.blockSizes.length)];
    if (blockSize === undefined) throw new Error('unreachable: block size index out of range');
    const block = params.arms.flatMap((arm) => Array<string>((arm.ratio * blockSize) / ratioSum).fill(arm.key));
    for (let i = block.length - 1; i > 0; i -= 1) {
      const j = stream.nextInt(i + 1);
      [block[i], block[j]] = [block[j] as string, block[i] as string];
    }
    const blockStartIndex = stratumIndex;
    for (const [positionInBlock, arm] of block.entries()) {
      yield { arm, stratumIndex, blockIndex, blockSize, blockStartIndex, positionInBlock };
      stratumIndex += 1;
    }
  }
}

export interface BlockAllocationAtOptions extends GenerateBlockAllocationsOptions {
  /** How many allocations the stratum already has (0 for its first patient). */
  readonly stratumIndex: number;
}

/**
 * The allocation at position `stratumIndex` of a stratum: regenerates the stratum's blocks up to
 * it (O(stratumIndex) HMACs, microseconds per position; strata hold at most a few hundred patients).
 */
export function blockAllocationAt({ stratumIndex, ...options }: BlockAllocationAtOptions): BlockAllocation {
  if (!Number.isSafeInteger(stratumIndex) || stratumIndex < 0) {
    throw new RandomizationError('INVALID_INDEX', `stratumIndex must be a non-negative integer; got ${stratumIndex}`);
  }
  const sequence = generateBlockAllocations(options);
  for (;;) {
    const { value } = sequence.next();
    if (value.stratumIndex === stratumIndex) return value;
  }
}
