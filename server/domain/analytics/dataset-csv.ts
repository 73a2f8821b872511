import { formatCsv } from '@/analysis/format-csv';
import type { AnalysisDataset } from './analysis-dataset';
import { analysisDatasetTable } from './analysis-dataset-table';
import { RecentCache } from './recent-cache';

/** CSVs kept in this process: the last few data states' (each a few hundred kB at most for a large trial). */
const remembered = new RecentCache<string, string>(8);

/**
 * The subject-level dataset as CSV (formatCsv of analysisDatasetTable), written once per snapshot
 * hash: the hash covers every row and column the table is made of, so an equal hash is an equal file.
 */
export function datasetCsv(dataset: AnalysisDataset): string {
  const known = remembered.get(dataset.snapshot.sha256);
  if (known !== undefined) return known;
  const csv = formatCsv(analysisDatasetTable(dataset));
  remembered.set(dataset.snapshot.sha256, csv);
  return csv;
}

/** Forgets every remembered CSV (benchmarks measuring a cold export). */
export function clearDatasetCsvCache(): void {
  remembered.clear();
}
