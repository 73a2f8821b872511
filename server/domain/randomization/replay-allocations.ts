import { allocateByMinimization } from './allocate-by-minimization';
import { SUPPORTED_ALGORITHM_VERSIONS } from './algorithm-version';
import type { Allocation } from './allocation';
import { generateBlockAllocations, type BlockAllocation } from './block-allocations';
import type { EnrollmentCovariates } from './covariates';
import { addToMarginalCounts, type MarginalCounts } from './marginal-counts';
import type { RandomizationParameters } from './parameters';
import { RandomizationError } from './randomization-error';
import type { SeedInput } from './seed';
import { buildStratumKey } from './stratum-key';

export interface ReplayEnrollment {
  /** Any identifier to report mismatches by (e.g. the pseudonymous patient ID). */
  readonly id?: string;
  readonly covariates: EnrollmentCovariates;
  /** The arm stored at randomization time; omit to only re-derive. */
  readonly recordedArm?: string;
}

export interface ReplayAllocationsOptions {
  readonly seed: SeedInput;
  readonly params: RandomizationParameters;
  /** The version recorded with the trial; refused unless this code can reproduce it. */
  readonly algorithmVersion: string;
  /** Every randomized enrollment of the trial, in randomization order. */
  readonly enrollments: readonly ReplayEnrollment[];
}

export interface ReplayedAllocation {
  /** 0-based position in `enrollments` (the trial-wide sequence index). */
  readonly index: number;
  readonly id?: string;
  readonly stratumKey: string;
  readonly allocation: Allocation;
}

export interface AllocationMismatch {
  readonly index: number;
  readonly id?: string;
  readonly stratumKey: string;
  readonly recordedArm: string;
  readonly replayedArm: string;
}

export interface ReplayResult {
  readonly allocations: readonly ReplayedAllocation[];
  readonly mismatches: readonly AllocationMismatch[];
}

/**
 * Re-derives every allocation of a trial from its seed, parameters and algorithm version, and lists
 * where the recorded arm differs.
 *
 * The replay is a pure function of (seed, params, version, ordered covariates): for permuted blocks
 * the j-th enrollment of a stratum gets that stratum's j-th allocation; for minimization the
 * marginal counts are built from the replayed arms (not the recorded ones), so one altered record
 * shows up as exactly one mismatch instead of corrupting the state of every later patient.
 *
 * Throws UNSUPPORTED_ALGORITHM_VERSION, and the covariate errors of buildStratumKey.
 */
export function replayAllocations({ seed, params, algorithmVersion, enrollments }: ReplayAllocationsOptions): ReplayResult {
  if (!SUPPORTED_ALGORITHM_VERSIONS.includes(algorithmVersion)) {
    throw new RandomizationError(
      'UNSUPPORTED_ALGORITHM_VERSION',
      `algorithm version '${algorithmVersion}' cannot be replayed; this code reproduces ${SUPPORTED_ALGORITHM_VERSIONS.map((v) => `'${v}'`).join(', ')}`,
      { algorithmVersion },
    );
  }
  const strata = new Map<string, Generator<BlockAllocation, never, undefined>>();
  let counts: MarginalCounts = {};
  const allocations: ReplayedAllocation[] = [];
  const mismatches: AllocationMismatch[] = [];

  enrollments.forEach(({ id, covariates, recordedArm }, index) => {
    const stratumKey = buildStratumKey({ params, covariates });
    let allocation: Allocation;
    if (params.method === 'permuted_blocks') {
      let sequence = strata.get(stratumKey);
      if (!sequence) {
        sequence = generateBlockAllocations({ seed, params, stratumKey, algorithmVersion });
        strata.set(stratumKey, sequence);
      }
      const next = sequence.next().value;
      allocation = {
        arm: next.arm,
        algorithmVersion,
        blockSize: next.blockSize,
        positionInBlock: next.positionInBlock,
        draw: {
          method: 'permuted_blocks',
          stream: stratumKey,
          stratumIndex: next.stratumIndex,
          blockIndex: next.blockIndex,
          blockStartIndex: next.blockStartIndex,
        },
      };
    } else {
      allocation = allocateByMinimization({
        seed,
        params,
        sequenceIndex: index,
        covariates,
        marginalCounts: counts,
        algorithmVersion,
      });
      counts = addToMarginalCounts({ counts, covariates, arm: allocation.arm });
    }
    const idPart = id === undefined ? {} : { id };
    allocations.push({ index, ...idPart, stratumKey, allocation });
    if (recordedArm !== undefined && recordedArm !== allocation.arm) {
      mismatches.push({ index, ...idPart, stratumKey, recordedArm, replayedArm: allocation.arm });
    }
  });
  return { allocations, mismatches };
}
