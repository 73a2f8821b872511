import type { DbOrTx } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { TrialAccess } from '../trials/trial-access';
import type { AnalysisDataset } from './analysis-dataset';
import { buildAnalysisDataset } from './build-analysis-dataset';
import { readAnalysisDataVersion } from './read-analysis-data-version';

/** Datasets kept in this process: a few trials and site views, not a store. */
const MAX_ENTRIES = 16;
const cache = new Map<string, AnalysisDataset>();

/**
 * The analysis dataset as `buildAnalysisDataset` builds it, built once per data state: the stamp of
 * `readAnalysisDataVersion` (one query) is read first, and an equal stamp with the same trial and
 * visible sites answers the dataset built then (its content and hash are the same; its read time is
 * now). A statistician's pages, their PDF and each export then read the trial once between writes.
 */
export async function loadAnalysisDataset({ db, store, access }: { db: DbOrTx; store: ContentStore; access: TrialAccess }): Promise<AnalysisDataset> {
  const version = await readAnalysisDataVersion(db);
  const key = `${access.trialId}|${access.siteIds === null ? '*' : [...access.siteIds].sort().join(',')}|${version}`;
  const known = cache.get(key);
  if (known) {
    cache.delete(key); // re-inserted: the Map's order is the recency order
    cache.set(key, known);
    return { ...known, snapshot: { sha256: known.snapshot.sha256, builtAt: new Date().toISOString() } };
  }
  const dataset = await buildAnalysisDataset({ db, store, access });
  cache.set(key, dataset);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return dataset;
}

/** Forgets every remembered dataset (benchmarks measuring a cold build). */
export function clearAnalysisDatasetCache(): void {
  cache.clear();
}
