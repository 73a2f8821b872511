import type { AdamDataset } from '@/analysis/adam-subject';

/** The define-style dictionary of ADaM data sets as one table: data set, variable, label, type, format, derivation. */
export function adamDefineTable(...datasets: readonly AdamDataset[]) {
  return {
    columns: ['dataset', 'variable', 'label', 'type', 'format', 'derivation'],
    rows: datasets.flatMap((d) => d.variables.map((v) => [v.dataset, v.name, v.label, v.type, v.format, v.derivation])),
  };
}
