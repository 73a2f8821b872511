import type { AnalysisRow } from './analysis-dataset';

/** The binary outcomes compared between arms; the first is the trial's primary outcome. */
export const ARM_OUTCOMES = [
  {
    key: 'progression_free_6m',
    label: 'Progression-free at 6 months (binary form of the primary endpoint)',
    value: (r: AnalysisRow) => (r.progressionFree6m === null ? null : r.progressionFree6m ? 1 : 0),
  },
  { key: 'clinician_correct', label: "Primary reader's grade agrees with histopathology (secondary)", value: (r: AnalysisRow) => r.clinicianCorrect },
  {
    key: 'high_grade_detected',
    label: 'High-grade tumour suspected among reference high-grade (secondary: sensitivity)',
    value: (r: AnalysisRow) => (r.referenceHighGrade === true && r.clinicianHighGrade !== null ? r.clinicianHighGrade : null),
  },
] as const;
