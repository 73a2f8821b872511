/**
 * Brain extraction ("skull stripping") as a named, versioned, classical step: thresholding and
 * mathematical morphology on the co-registered channels (Brummer et al. 1993; the same idea as the
 * morphological stages of BET/ROBEX's post-processing). Chosen over a learned model because it has
 * no training data to overfit — our only head images are Colin27's, the anatomy the cohort generator
 * is built on — runs in well under a second at 2 mm, and behaves the same on skull-on and skull-
 * stripped input (on a stripped image it returns the non-zero support, cleaned). Its accuracy is
 * measured against Colin27's own brain mask and the generator's truth (docs/ingest.md).
 *
 * Input: one or more channels on one grid (x fastest, ../volume.ts), e.g. FLAIR, T1, T1gd, T2 after
 * registration. Steps, on a copy coarsened to `workingSpacingMm`:
 * 1. the mean of the channels, each divided by its 99th percentile (so no contrast dominates);
 * 2. "tissue" = above t2 + `thresholdFraction`·(t98 − t2) (BET's robust range, percentiles of the
 *    non-zero voxels): the skull and the CSF around the brain fall below it, cutting the brain off
 *    from the rest of the head in most places (if the result of 3–4 is too large to be a brain, the
 *    brightest voxels — scalp fat — are excluded as well and 3–4 rerun);
 * 3. erode by `erodeMm`, which breaks the thin bridges that remain (optic nerves, vessels, dura),
 *    keep the largest connected component (the brain), dilate it back by `erodeMm` inside "tissue";
 * 4. close by `closeMm` and fill holes, which brings back ventricles, sulcal CSF, and dark tumour
 *    cores (necrosis) enclosed by brain;
 * 5. if the non-zero support (holes filled, largest component) is brain-sized and either the
 *    background around it is exactly zero or the mask covers more than `strippedCoverage` of it, the
 *    input was already skull-stripped and the support is taken instead (`input`).
 * The mask is then resampled to the input grid (linear, > 0.5).
 */
import { coarsen } from '../registration/register';
import { resample } from '../resample';
import type { Volume } from '../volume';
import { dilate, erode, fillHoles, largestComponent6 } from './morphology';

export const brainExtractionMethod = 'segtrial-morphological-bet';
/** Bump on any change that can change a mask. */
export const brainExtractionVersion = '1.0.0';

export interface BrainExtractionOptions {
  workingSpacingMm?: number;
  thresholdFraction?: number;
  erodeMm?: number;
  closeMm?: number;
  /** When the mask covers more than this fraction of the non-zero support, the input was already skull-stripped and the support is the mask (default 0.75). */
  strippedCoverage?: number;
  /**
   * When the first mask is larger than `maxBrainMl` (it took scalp with it), voxels brighter than
   * t2 + upperFraction·(t98 − t2) are excluded too (scalp fat and marrow are the brightest tissue on
   * T1) and the steps rerun; default 1 and 2100 mL (adult intracranial volume is about 1200–1900 mL).
   */
  upperFraction?: number;
  maxBrainMl?: number;
  /** A skull-stripped support smaller than this (mL, default 600) is not taken as the brain. */
  minBrainMl?: number;
}

export interface BrainExtraction {
  readonly method: string;
  readonly version: string;
  readonly settings: Required<BrainExtractionOptions>;
  /** What the input looked like: already skull-stripped (the non-zero support was taken), or a head. */
  readonly input: 'skull-stripped' | 'head';
  /** Whether the brightest voxels had to be excluded (the first mask was too large: scalp fat). */
  readonly brightCut: boolean;
  /** 1 inside the brain, on the input grid. */
  readonly mask: Uint8Array;
  readonly voxels: number;
  readonly volumeMl: number;
  /** Fraction of the non-zero (any channel) voxels outside the mask: ~0 for skull-stripped input, large for a head. */
  readonly removedFraction: number;
  readonly elapsedMs: number;
}

function percentileOf(values: Float32Array, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/** Percentile of the non-zero values, from a stride sample (enough for a threshold). */
function nonZeroPercentile(data: Float32Array, q: number): number {
  const step = Math.max(1, Math.floor(data.length / 400_000));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) if (data[i] !== 0) sample.push(data[i]!);
  return percentileOf(Float32Array.from(sample), q);
}

export function extractBrain(channels: readonly Volume<Float32Array>[], options: BrainExtractionOptions = {}): BrainExtraction {
  const started = performance.now();
  const settings: Required<BrainExtractionOptions> = {
    workingSpacingMm: options.workingSpacingMm ?? 2,
    thresholdFraction: options.thresholdFraction ?? 0.4,
    erodeMm: options.erodeMm ?? 8,
    closeMm: options.closeMm ?? 6,
    upperFraction: options.upperFraction ?? 1,
    maxBrainMl: options.maxBrainMl ?? 2100,
    minBrainMl: options.minBrainMl ?? 600,
    strippedCoverage: options.strippedCoverage ?? 0.75,
  };
  const grid = channels[0];
  if (!grid) throw new RangeError('extractBrain needs at least one channel');
  const n = grid.data.length;
  const combined = new Float32Array(n);
  const anyNonZero = new Uint8Array(n);
  for (const c of channels) {
    if (c.data.length !== n) throw new RangeError('extractBrain: channels are not on one grid');
    const scale = nonZeroPercentile(c.data, 0.99) || 1;
    for (let i = 0; i < n; i++) {
      const v = c.data[i]!;
      if (v !== 0) anyNonZero[i] = 1;
      combined[i]! += Math.min(1.5, Math.max(0, v / scale)) / channels.length;
    }
  }
  const work = coarsen({ ...grid, data: combined }, settings.workingSpacingMm);
  const t2 = nonZeroPercentile(work.data, 0.02),
    t98 = nonZeroPercentile(work.data, 0.98);
  const threshold = t2 + settings.thresholdFraction * (t98 - t2);
  const morphology = (upper: number) => {
    const tissue = Uint8Array.from(work.data, (v) => (v > threshold && v < upper ? 1 : 0));
    const core = largestComponent6(erode(tissue, work.dims, work.spacing, settings.erodeMm), work.dims);
    const grown = dilate(core, work.dims, work.spacing, settings.erodeMm);
    for (let i = 0; i < grown.length; i++) grown[i]! &= tissue[i]!;
    const brain = largestComponent6(grown, work.dims);
    const closed = erode(dilate(brain, work.dims, work.spacing, settings.closeMm), work.dims, work.spacing, settings.closeMm);
    for (let i = 0; i < closed.length; i++) closed[i]! |= brain[i]!;
    return fillHoles(closed, work.dims);
  };
  const workVoxelMl = (work.spacing[0] * work.spacing[1] * work.spacing[2]) / 1000;
  let filled = morphology(Infinity);
  const brightCut = filled.reduce((a, b) => a + b, 0) * workVoxelMl > settings.maxBrainMl;
  if (brightCut) filled = morphology(t2 + settings.upperFraction * (t98 - t2));
  // Already skull-stripped (BraTS, Decathlon: background exactly 0)? Then the non-zero support — cortex
  // and CSF rim included, which the threshold cuts — is the brain: when the background outside it is
  // exactly zero and it is no larger than a brain can be (a head on a zero background is larger), or
  // when the morphology found nearly all of it anyway.
  const nonZeroWork = work === grid ? anyNonZero : Uint8Array.from(resample({ ...grid, data: Float32Array.from(anyNonZero) }, work, { interpolation: 'linear' }).data, (v) => (v > 0.5 ? 1 : 0));
  const support = largestComponent6(fillHoles(nonZeroWork, work.dims), work.dims);
  let inSupport = 0,
    covered = 0,
    outside = 0;
  for (let i = 0; i < support.length; i++) {
    if (support[i]) {
      inSupport++;
      covered += filled[i]!;
    } else outside += nonZeroWork[i]!;
  }
  const supportMl = inSupport * workVoxelMl;
  const brainSized = supportMl >= settings.minBrainMl && supportMl <= settings.maxBrainMl;
  const zeroBackground = outside <= 0.01 * inSupport;
  const input: BrainExtraction['input'] = brainSized && (zeroBackground || covered / inSupport > settings.strippedCoverage) ? 'skull-stripped' : 'head';
  if (input === 'skull-stripped') filled = support;

  const back = work === grid ? { data: Float32Array.from(filled) } : resample({ ...work, data: Float32Array.from(filled) }, grid, { interpolation: 'linear' });
  const mask = new Uint8Array(n);
  let voxels = 0,
    nonZero = 0,
    removed = 0;
  for (let i = 0; i < n; i++) {
    mask[i] = back.data[i]! > 0.5 ? 1 : 0;
    voxels += mask[i]!;
    if (anyNonZero[i]) {
      nonZero++;
      if (!mask[i]) removed++;
    }
  }
  const voxelMl = (grid.spacing[0] * grid.spacing[1] * grid.spacing[2]) / 1000;
  return {
    method: brainExtractionMethod,
    version: brainExtractionVersion,
    settings,
    input,
    brightCut,
    mask,
    voxels,
    volumeMl: voxels * voxelMl,
    removedFraction: nonZero ? removed / nonZero : 0,
    elapsedMs: performance.now() - started,
  };
}

/** Dice of two masks on one grid (1 when both are empty). */
export function maskDice(a: Uint8Array, b: ArrayLike<number>): number {
  let inter = 0,
    sa = 0,
    sb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ? 1 : 0,
      y = b[i] ? 1 : 0;
    inter += x & y;
    sa += x;
    sb += y;
  }
  return sa + sb === 0 ? 1 : (2 * inter) / (sa + sb);
}
