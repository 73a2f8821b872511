import type { DbOrTx } from '@/db/client';
import { ANALYSIS_SOURCE_PART_NAMES, ANALYSIS_SOURCE_PARTS, type AnalysisSourcePart, type AnalysisSources } from './analysis-sources';
import { readAnalysisSources } from './read-analysis-sources';
import { readAnalysisStamps } from './read-analysis-stamps';
import { RecentCache } from './recent-cache';

/** Parts kept in this process, per trial and part (a few trials' worth, not a store). */
const remembered = new RecentCache<string, { readonly stamp: string; readonly value: unknown }>(16 * ANALYSIS_SOURCE_PART_NAMES.length);

const stampOf = (part: AnalysisSourcePart, stamps: Record<string, string>) => ANALYSIS_SOURCE_PARTS[part].tables.map((t) => stamps[t]).join(',');

/**
 * A trial's analysis sources, each part read again only when a table it reads changed: the stamps
 * of those tables are read first (one statement); the parts whose stamps moved are read in a second
 * one, with their stamps taken in the same snapshot. An unchanged part is the same object as
 * before, so what is derived from it can be remembered by identity. `key` names the data state (the
 * stamp of every part): equal keys, equal sources. A write between the two statements to a part
 * kept from before mixes two states in this answer only (its stamp moved: the next read reads it).
 */
export async function loadAnalysisSources({ db, trialId }: { db: DbOrTx; trialId: string }): Promise<{ sources: AnalysisSources; key: string }> {
  const stamps = await readAnalysisStamps(db);
  const partStamps = new Map<AnalysisSourcePart, string>();
  const sources: Partial<Record<AnalysisSourcePart, unknown>> = {};
  const missing: AnalysisSourcePart[] = [];
  for (const part of ANALYSIS_SOURCE_PART_NAMES) {
    const stamp = stampOf(part, stamps);
    const known = remembered.get(`${trialId}|${part}`);
    if (known && known.stamp === stamp) {
      sources[part] = known.value;
      partStamps.set(part, stamp);
    } else missing.push(part);
  }
  if (missing.length > 0) {
    const read = await readAnalysisSources({ db, trialId, parts: missing });
    for (const part of missing) {
      const stamp = stampOf(part, read.stamps);
      const value = read.sources[part];
      remembered.set(`${trialId}|${part}`, { stamp, value });
      sources[part] = value;
      partStamps.set(part, stamp);
    }
  }
  return { sources: sources as unknown as AnalysisSources, key: ANALYSIS_SOURCE_PART_NAMES.map((p) => partStamps.get(p)).join('|') };
}

/** Forgets every remembered part (benchmarks measuring a cold read). */
export function clearAnalysisSourcesCache(): void {
  remembered.clear();
}
