/** The pure randomization engine: no framework, no database. See docs/randomization.md. */
export { ALGORITHM_VERSION, SUPPORTED_ALGORITHM_VERSIONS } from './algorithm-version';
export { allocateByMinimization, type AllocateByMinimizationOptions } from './allocate-by-minimization';
export { allocateNext, type AllocateNextOptions } from './allocate-next';
export type { Allocation, AllocationDraw, BlockDraw, MinimizationDraw } from './allocation';
export { blockAllocationAt, generateBlockAllocations, type BlockAllocation, type BlockAllocationAtOptions, type GenerateBlockAllocationsOptions } from './block-allocations';
export { canonicalJson } from './canonical-json';
export { commitmentDocument, commitmentHash, type CommitmentOptions } from './commitment-hash';
export { validateCovariates, type EnrollmentCovariates, type ValidateCovariatesOptions } from './covariates';
export { addToMarginalCounts, type AddToMarginalCountsOptions, type MarginalCounts } from './marginal-counts';
export {
  DEFAULT_ARMS,
  DEFAULT_MINIMIZATION_P,
  SITE_FACTOR,
  armSchema,
  minimizationSettingsSchema,
  randomizationParametersSchema,
  stratificationFactorSchema,
  type Arm,
  type MinimizationParameters,
  type MinimizationSettings,
  type PermutedBlocksParameters,
  type RandomizationParameters,
  type RandomizationParametersInput,
  type StratificationFactor,
} from './parameters';
export { parseRandomizationParameters } from './parse-randomization-parameters';
export { RandomStream, createRandomStream, type CreateRandomStreamOptions } from './random-stream';
export { RANDOMIZATION_ERROR_CODES, RandomizationError, type RandomizationErrorCode } from './randomization-error';
export { replayAllocations, type AllocationMismatch, type ReplayAllocationsOptions, type ReplayEnrollment, type ReplayResult, type ReplayedAllocation } from './replay-allocations';
export { SEED_BYTES, generateSeed, normalizeSeed, seedToHex, type SeedInput } from './seed';
export { buildStratumKey, parseStratumKey, type BuildStratumKeyOptions, type ParseStratumKeyOptions } from './stratum-key';
