import type { AnalysisRow } from './analysis-dataset';

/** The rows with a model risk and a histopathology reference: the model's validation set. */
export function modelScoredRows(rows: readonly AnalysisRow[]): AnalysisRow[] {
  return rows.filter((r) => r.modelRisk !== null && r.referenceHighGrade !== null);
}
