import type { DbOrTx } from '@/db/client';
import type { AnalysisDataset } from './analysis-dataset';
import { analysisDatasetDictionary, analysisDatasetTable } from './analysis-dataset-table';
import { datasetCsv } from './dataset-csv';
import type { Cell } from './analytics-tables';
import { adamDefineTable } from '../adam/adam-define-table';
import { loadAdamDatasets } from '../adam/load-adam-datasets';

/** An export made from the dataset alone: its CSV table and, when it says more than the table, its JSON body. */
export interface DatasetExportContent {
  readonly table: { readonly columns: readonly string[]; readonly rows: readonly (readonly Cell[])[] };
  /** The JSON body besides the snapshot and trial (default: the table's columns and rows). */
  readonly json?: () => object;
  /** The CSV when it is remembered (default: formatCsv of the table). */
  readonly csv?: () => string;
}

/**
 * The exports computed from the subject-level dataset alone, no figure of the report (`what=<key>`,
 * CSV or JSON). A new dataset-derived file (an ADaM dataset, say) is one entry here; `db` is for
 * what the dataset does not carry, read in the same request.
 */
export const DATASET_EXPORTS: Readonly<Record<string, (input: { dataset: AnalysisDataset; db: DbOrTx }) => DatasetExportContent | Promise<DatasetExportContent>>> = {
  // The table only when the JSON is asked for: the CSV is remembered per snapshot hash.
  dataset: ({ dataset }) => ({
    get table() {
      return analysisDatasetTable(dataset);
    },
    json: () => {
      const table = analysisDatasetTable(dataset);
      return { columns: table.columns, rows: table.rows, dictionary: analysisDatasetDictionary(dataset) };
    },
    csv: () => datasetCsv(dataset),
  }),
  dictionary: ({ dataset }) => {
    const dictionary = analysisDatasetDictionary(dataset);
    return {
      table: { columns: ['column', 'type', 'description', 'values'], rows: dictionary.map((d) => [d.column, d.type, d.description, d.values ?? null]) },
      json: () => ({ dictionary }),
    };
  },
  // CDISC ADaM (docs/analytics.md): ADSL, ADTTE and their define-style variable metadata.
  'adam:adsl': async ({ dataset, db }) => {
    const { adsl } = await loadAdamDatasets({ db, dataset });
    return { table: adsl, json: () => ({ columns: adsl.columns, rows: adsl.rows, variables: adsl.variables }) };
  },
  'adam:adtte': async ({ dataset, db }) => {
    const { adtte } = await loadAdamDatasets({ db, dataset });
    return { table: adtte, json: () => ({ columns: adtte.columns, rows: adtte.rows, variables: adtte.variables }) };
  },
  'adam:define': async ({ dataset, db }) => {
    const { adsl, adtte } = await loadAdamDatasets({ db, dataset });
    return { table: adamDefineTable(adsl, adtte) };
  },
};
