/**
 * The version of the randomization algorithms in this folder. It is mixed into every random draw
 * (see random-stream.ts) and into the published commitment, so a change to how draws are made or
 * consumed (stream layout, block construction, minimization rule, tie-breaking) MUST bump it:
 * trials created under an old version keep replaying with the old code path.
 *
 * It must not contain '|' (the stream message separator).
 */
export const ALGORITHM_VERSION = 'segtrial-randomization/1';

/** Versions this code can reproduce exactly. replayAllocations refuses any other. */
export const SUPPORTED_ALGORITHM_VERSIONS: readonly string[] = [ALGORITHM_VERSION];
