import { ALGORITHM_VERSION } from './algorithm-version';
import type { Allocation } from './allocation';
import { blockAllocationAt } from './block-allocations';
import type { RandomizationParameters } from './parameters';
import type { SeedInput } from './seed';

export interface AllocateNextOptions {
  readonly seed: SeedInput;
  readonly params: RandomizationParameters;
  /** Canonical stratum key of the enrollment (buildStratumKey). */
  readonly stratumKey: string;
  /** Number of allocations already made in this stratum, read under the stratum's lock. */
  readonly stratumIndex: number;
}

/**
 * Stratified permuted blocks: the next allocation of a stratum. Pure; the DB layer calls it inside
 * a transaction that locks the stratum, passing the count of existing allocations as stratumIndex,
 * and stores the whole result as provenance.
 *
 * Throws RandomizationError (WRONG_METHOD, INVALID_STRATUM_KEY, UNKNOWN_LEVEL, INVALID_INDEX, INVALID_SEED).
 */
export function allocateNext({ seed, params, stratumKey, stratumIndex }: AllocateNextOptions): Allocation {
  const allocation = blockAllocationAt({ seed, params, stratumKey, stratumIndex });
  return {
    arm: allocation.arm,
    algorithmVersion: ALGORITHM_VERSION,
    blockSize: allocation.blockSize,
    positionInBlock: allocation.positionInBlock,
    draw: {
      method: 'permuted_blocks',
      stream: stratumKey,
      stratumIndex,
      blockIndex: allocation.blockIndex,
      blockStartIndex: allocation.blockStartIndex,
    },
  };
}
