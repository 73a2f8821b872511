import { modelScoredRows } from './model-scored-rows';
import type { SectionContext } from './section-context';

/** The report's headline counts: randomized, with the primary outcome, scored by the model, segmented against a reference, signed decisions. */
export function countAnalysisRows({ dataset: { rows, readers } }: SectionContext) {
  return {
    randomized: rows.length,
    withPrimaryOutcome: rows.filter((r) => r.progressionFree6m !== null).length,
    modelScored: modelScoredRows(rows).length,
    withReferenceSegmentation: rows.filter((r) => r.segmentation !== null).length,
    decisions: readers.length,
  };
}
