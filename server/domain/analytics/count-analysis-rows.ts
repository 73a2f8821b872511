import { modelScoredRows } from './model-scored-rows';
import type { SectionContext } from './section-context';

/**
 * The report's headline counts: randomized, with the primary outcome, scored by the model, segmented
 * against a reference, signed decisions, and participants whose model score and read are the demo's
 * SIMULATED ones (counted apart: a simulated read is never a signed decision).
 */
export function countAnalysisRows({ dataset: { rows, readers } }: SectionContext) {
  return {
    randomized: rows.length,
    withPrimaryOutcome: rows.filter((r) => r.progressionFree6m !== null).length,
    modelScored: modelScoredRows(rows).length,
    withReferenceSegmentation: rows.filter((r) => r.segmentation !== null).length,
    decisions: readers.filter((r) => r.simulated !== true).length,
    simulatedReads: rows.filter((r) => r.readsSimulated === true).length,
  };
}
