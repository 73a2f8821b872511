import type { AnalysisDataset } from './analysis-dataset';
import type { Cell, Table } from './analytics-tables';

interface DictionaryEntry {
  readonly column: string;
  readonly type: 'string' | 'integer' | 'number' | 'logical' | 'date';
  readonly description: string;
  readonly values?: string;
}

const REGIONS = ['WT', 'TC', 'ET'] as const;

/** The data dictionary of the subject-level dataset, one entry per column, in column order. */
export function analysisDatasetDictionary(dataset: Pick<AnalysisDataset, 'factors' | 'arms'>): readonly DictionaryEntry[] {
  return [
    { column: 'study_id', type: 'string', description: 'Pseudonymous participant ID (no names are ever stored)' },
    { column: 'site', type: 'string', description: 'Enrolling site code' },
    { column: 'site_external', type: 'logical', description: 'The site is an external-validation site (its data were not used to develop the model)' },
    { column: 'arm', type: 'string', description: 'Randomized arm', values: dataset.arms.map((a) => `${a.key} = ${a.label}`).join('; ') },
    { column: 'stratum', type: 'string', description: 'Randomization stratum key (site and stratification factor levels), used for stratified analyses' },
    { column: 'age', type: 'integer', description: 'Age at enrollment, years' },
    { column: 'sex', type: 'string', description: 'Sex', values: 'F; M' },
    { column: 'scanner_vendor', type: 'string', description: 'MRI scanner vendor' },
    { column: 'field_strength', type: 'string', description: 'MRI field strength', values: '1.5T; 3T' },
    ...dataset.factors.map((f): DictionaryEntry => ({ column: `factor_${f}`, type: 'string', description: `Stratification factor '${f}' level` })),
    { column: 'protocol_version', type: 'integer', description: 'Protocol version the participant was enrolled under (1 = as at go-live; each signed amendment adds one)' },
    { column: 'randomization_period', type: 'integer', description: 'Randomization period of the allocation (each new published commitment opens the next)' },
    { column: 'withdrawn', type: 'logical', description: 'A withdrawal was recorded' },
    { column: 'lost_to_follow_up', type: 'logical', description: 'A loss to follow-up was recorded' },
    { column: 'reference_high_grade', type: 'logical', description: 'Histopathology: high-grade glioma (WHO grade 3-4); NA until known' },
    { column: 'who_grade', type: 'integer', description: 'WHO CNS grade from histopathology', values: '1-4' },
    { column: 'progression_free_6m', type: 'logical', description: 'Primary outcome: alive without progression 6 months after randomization' },
    { column: 'outcome_assessed_on', type: 'date', description: 'Date the follow-up outcome was assessed' },
    { column: 'outcome_note', type: 'string', description: "Coordinator's note on the outcome record (simulated demo records say so here)" },
    { column: 'model_risk', type: 'number', description: "The pinned model's probability of a high-grade tumour, derived from its segmentation (segmentations.risk_high_grade)", values: '0-1' },
    ...REGIONS.flatMap((r): DictionaryEntry[] => [
      { column: `${r}_dice`, type: 'number', description: `${r}: Dice of the AI label map vs the expert reference (1 when both empty)`, values: '0-1' },
      { column: `${r}_hd95_mm`, type: 'number', description: `${r}: 95th percentile symmetric surface distance, mm (Inf when one side is empty)` },
      { column: `${r}_sensitivity`, type: 'number', description: `${r}: voxelwise sensitivity (NaN when the reference region is empty)` },
      { column: `${r}_specificity`, type: 'number', description: `${r}: voxelwise specificity over the grid` },
    ]),
    { column: 'reader_count', type: 'integer', description: 'Number of readers with a current signed decision' },
    { column: 'clinician_probability', type: 'number', description: "Primary reader's stated probability of a high-grade tumour", values: '0-1' },
    { column: 'clinician_high_grade', type: 'integer', description: 'Primary reader suspected a high-grade tumour', values: '0; 1' },
    { column: 'clinician_management', type: 'string', description: "Primary reader's management plan" },
    { column: 'clinician_correct', type: 'integer', description: "Primary reader's suspected grade agrees with histopathology", values: '0; 1' },
    {
      column: 'reads_simulated',
      type: 'logical',
      description: "TRUE: model_risk and the reader columns are SIMULATED (the demo's documented reader model, simulated_reads), not a segmentation or a signed decision",
    },
  ];
}

/** The subject-level dataset as a table, columns as `analysisDatasetDictionary` lists them. */
export function analysisDatasetTable(dataset: AnalysisDataset): Table {
  const dictionary = analysisDatasetDictionary(dataset);
  return {
    name: 'analysis_dataset',
    title: 'Subject-level analysis dataset (one row per randomized participant)',
    columns: dictionary.map((d) => d.column),
    rows: dataset.rows.map((r): Cell[] => [
      r.studyId,
      r.site,
      r.siteExternal,
      r.arm,
      r.stratum,
      r.age,
      r.sex,
      r.scannerVendor,
      r.fieldStrength,
      ...dataset.factors.map((f) => r.levels[f] ?? null),
      r.protocolVersion,
      r.randomizationPeriod,
      r.withdrawn,
      r.lostToFollowUp,
      r.referenceHighGrade,
      r.whoGrade,
      r.progressionFree6m,
      r.outcomeAssessedOn,
      r.outcomeNote,
      r.modelRisk,
      ...REGIONS.flatMap((region): Cell[] => {
        const m = r.segmentation?.[region];
        return m ? [m.dice, m.hd95, m.sensitivity, m.specificity] : [null, null, null, null];
      }),
      r.readerCount,
      r.clinicianProbability,
      r.clinicianHighGrade,
      r.clinicianManagement,
      r.clinicianCorrect,
      r.readsSimulated === true,
    ]),
  };
}
