/** What the engine returns for one randomization; the DB layer stores all of it as provenance. */
export interface Allocation {
  /** The arm key, e.g. 'ai_assisted'. */
  readonly arm: string;
  readonly algorithmVersion: string;
  /** Permuted blocks only: the size of the block this allocation belongs to. */
  readonly blockSize?: number;
  /** Permuted blocks only: 0-based position within that block. */
  readonly positionInBlock?: number;
  /** Where the randomness came from and how it was used. */
  readonly draw: AllocationDraw;
}

export type AllocationDraw = BlockDraw | MinimizationDraw;

export interface BlockDraw {
  readonly method: 'permuted_blocks';
  /** The random stream: the canonical stratum key. */
  readonly stream: string;
  /** 0-based index of this allocation within its stratum. */
  readonly stratumIndex: number;
  /** 0-based index of the block within the stratum. */
  readonly blockIndex: number;
  /** The stratumIndex of the block's first allocation. */
  readonly blockStartIndex: number;
}

export interface MinimizationDraw {
  readonly method: 'minimization';
  /** The random stream: `minimization/${sequenceIndex}`. */
  readonly stream: string;
  /** 0-based position of this enrollment in the trial-wide randomization order. */
  readonly sequenceIndex: number;
  /** The uniform draw u in [0, 1) compared with p: the minimizing arms were chosen iff u < p. */
  readonly uniform: number;
  /** Total weighted imbalance if the patient went to each arm (in ratio-normalized units). */
  readonly imbalanceByArm: Readonly<Record<string, number>>;
  /** The arms with the smallest imbalance. */
  readonly minimizingArms: readonly string[];
  /**
   * 'first': no earlier patient shares any of this patient's levels (e.g. the first patient);
   * 'tie': every arm minimizes; in both cases all arms are candidates and u is not used.
   * 'minimizing' (u < p) / 'other' (u ≥ p): which set of arms u chose.
   */
  readonly choice: 'first' | 'tie' | 'minimizing' | 'other';
  /** The arms the final draw was made among (with probability proportional to ratio). */
  readonly candidateArms: readonly string[];
}
