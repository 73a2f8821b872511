import type { TumorRegion } from '@/imaging/metrics/region-masks';

/** One region's metrics of the AI label map against the expert reference (imaging/metrics). */
export interface RegionMetricsRow {
  readonly dice: number;
  readonly hd95: number;
  readonly sensitivity: number;
  readonly specificity: number;
}

/** One row per randomized participant: the subject-level analysis dataset. */
export interface AnalysisRow {
  readonly participantId: string;
  /** The pseudonymous study ID (never a name). */
  readonly studyId: string;
  readonly site: string;
  readonly siteExternal: boolean;
  readonly arm: string;
  /** The randomization stratum (allocations.stratum_key): site and factor levels. */
  readonly stratum: string;
  readonly age: number | null;
  readonly sex: string | null;
  readonly scannerVendor: string | null;
  readonly fieldStrength: string | null;
  /** Stratification factor levels (e.g. age_band). */
  readonly levels: Readonly<Record<string, string>>;
  readonly withdrawn: boolean;
  readonly lostToFollowUp: boolean;
  /** A protocol deviation was recorded (participant_events): left out of the per-protocol population. */
  readonly protocolDeviation: boolean;
  /** Current follow-up outcome (participant_outcomes, the record nobody supersedes). */
  readonly referenceHighGrade: boolean | null;
  readonly whoGrade: number | null;
  readonly progressionFree6m: boolean | null;
  readonly outcomeAssessedOn: string | null;
  readonly outcomeNote: string | null;
  /** The trial model's probability of a high-grade tumour (segmentations.risk_high_grade). */
  readonly modelRisk: number | null;
  readonly segmentationId: string | null;
  /** AI vs reference per region, when both label maps exist on the same study. */
  readonly segmentation: Readonly<Record<TumorRegion, RegionMetricsRow>> | null;
  /** The primary read: the current decision of the reader who signed first. */
  readonly readerCount: number;
  readonly clinicianProbability: number | null;
  /** 1 when the primary reader suspected a high-grade tumour. */
  readonly clinicianHighGrade: number | null;
  readonly clinicianManagement: string | null;
  /** The primary read agrees with the reference standard (high-grade suspected ⇔ reference high grade). */
  readonly clinicianCorrect: number | null;
  /** Randomization date (allocations.allocated_at, UTC), YYYY-MM-DD. */
  readonly randomizedOn: string;
  /** The protocol version the participant was enrolled under (1 = as at go-live; each signed amendment adds one). */
  readonly protocolVersion: number;
  /** The randomization period of the allocation (a new published commitment opens the next). */
  readonly randomizationPeriod: number;
  /** Progression-free and overall survival in days from randomization (event 1, or censored 0 at the last contact); null without any follow-up contact. */
  readonly pfsDays: number | null;
  readonly pfsEvent: 0 | 1 | null;
  readonly osDays: number | null;
  readonly osEvent: 0 | 1 | null;
  /**
   * The model score and the read come from the demo's SIMULATED reader model (simulated_reads), not
   * from a segmentation and a signed decision: true only for a participant with neither.
   */
  readonly readsSimulated?: boolean;
}

/** One row per current signed decision (every reader): for human–AI interaction summaries. */
export interface ReaderRow {
  readonly participantId: string;
  readonly studyId: string;
  readonly site: string;
  readonly arm: string;
  readonly reader: string;
  readonly aiAction: 'accepted' | 'edited' | 'rejected' | null;
  readonly secondsToDecision: number | null;
  /** Whole-tumour Dice between the AI proposal and the mask signed with (1 accepted; null rejected/none). */
  readonly diceProposalToFinal: number | null;
  readonly probability: number | null;
  readonly suspectedHighGrade: number;
  readonly correct: number | null;
  /** A SIMULATED read (the demo's reader model), never a signed decision. */
  readonly simulated?: boolean;
}

export interface AnalysisDataset {
  readonly trial: { readonly id: string; readonly slug: string; readonly name: string; readonly status: string };
  readonly arms: readonly { readonly key: string; readonly label: string }[];
  readonly factors: readonly string[];
  readonly sites: readonly { readonly code: string; readonly name: string; readonly isExternal: boolean }[];
  readonly model: ModelProvenance | null;
  readonly rows: readonly AnalysisRow[];
  readonly readers: readonly ReaderRow[];
  /** What the dataset was built from: SHA-256 of its canonical JSON and the time it was read. */
  readonly snapshot: { readonly sha256: string; readonly builtAt: string };
}

export interface ModelProvenance {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
  readonly pinned: boolean;
  readonly registeredAt: string;
  readonly card: Readonly<Record<string, unknown>>;
}
