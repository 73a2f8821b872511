import { segmentationMetrics } from '@/imaging/metrics/segmentation-metrics';
import type { TumorRegion } from '@/imaging/metrics/region-masks';
import { decodeNifti } from '@/imaging/nifti/read-nifti';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { RegionMetricsRow } from './analysis-dataset';

// Both label maps are content-addressed, so a pair's metrics never change: keep them for the
// process's lifetime instead of decoding two volumes per case on every report.
const cache = new Map<string, Readonly<Record<TumorRegion, RegionMetricsRow>> | null>();
const CACHE_LIMIT = 20_000;

/**
 * Dice, HD95, sensitivity and specificity per region of an AI label map against a reference, both
 * read from the content store. Null when either object is missing or the grids differ (then the
 * reference was drawn on another study); the reason is logged, not thrown, so one bad pair does
 * not take the report down.
 */
export async function segmentationMetricsFor({ store, predictedSha256, referenceSha256 }: { store: ContentStore; predictedSha256: string; referenceSha256: string }) {
  const key = `${predictedSha256}:${referenceSha256}`;
  if (cache.has(key)) return cache.get(key) ?? null;
  let result: Readonly<Record<TumorRegion, RegionMetricsRow>> | null = null;
  try {
    const [predicted, reference] = await Promise.all([
      store.get(predictedSha256).then((b) => decodeNifti(b, 'ai-labels.nii.gz')),
      store.get(referenceSha256).then((b) => decodeNifti(b, 'reference.nii.gz')),
    ]);
    if (predicted.dims.join() !== reference.dims.join()) {
      console.warn(`[analytics] label maps ${predictedSha256.slice(0, 12)} and ${referenceSha256.slice(0, 12)} are on different grids`);
    } else {
      const metrics = segmentationMetrics({ predicted: predicted.data, reference: reference.data, dims: reference.dims, spacing: reference.spacing });
      result = Object.fromEntries(metrics.map((m) => [m.region, { dice: m.dice, hd95: m.hd95, sensitivity: m.sensitivity, specificity: m.specificity }])) as Record<TumorRegion, RegionMetricsRow>;
    }
  } catch (error) {
    // Not cached: a missing object may yet appear (a restore), unlike a grid mismatch.
    console.warn(`[analytics] could not compare label maps ${predictedSha256.slice(0, 12)} / ${referenceSha256.slice(0, 12)}:`, error instanceof Error ? error.message : error);
    return null;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}
