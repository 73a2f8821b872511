/**
 * Integrity checks on decoded volumes before anything is stored (nnU-Net's verify_dataset_integrity
 * and more). Volumes are x-fastest float32 with RAS+ mm affines (../volume.ts).
 *
 * Per volume: voxel sizes within [minSpacingMm, maxSpacingMm], field of view per axis at most
 * maxExtentMm, a finite non-singular affine, no NaN or infinite voxel, not constant.
 * Across the study: each sequence must lie in the same patient space as the T1gd — their world
 * bounding boxes must overlap by at least `minOverlap` of the smaller box. Orientation codes that
 * differ (a sagittal FLAIR with an axial T1gd) are normal and only reported; registration resamples.
 */
import { orientationCode } from '../orientation';
import type { Volume } from '../volume';
import { applyAffine, spacingFromAffine } from '../volume';
import type { DecodedSequence } from './decode';
import { IngestError } from './errors';
import type { IngestLimits } from './limits';

export function validateVolume(volume: Volume<Float32Array>, file: string, limits: IngestLimits): void {
  const a = volume.affine;
  if (a.length !== 16 || !a.every(Number.isFinite)) throw new IngestError('format', file, 'affine', `[${a.join(', ')}]`, 'finite numbers');
  const det = a[0]! * (a[5]! * a[10]! - a[6]! * a[9]!) - a[1]! * (a[4]! * a[10]! - a[6]! * a[8]!) + a[2]! * (a[4]! * a[9]! - a[5]! * a[8]!);
  const spacing = spacingFromAffine(a);
  if (Math.abs(det) < 1e-6 * spacing[0] * spacing[1] * spacing[2] || Math.abs(det) < 1e-12) throw new IngestError('format', file, 'affine determinant', det, 'a non-singular voxel-to-world matrix');
  spacing.forEach((s, i) => {
    if (s < limits.minSpacingMm || s > limits.maxSpacingMm)
      throw new IngestError('dimensions', file, `voxel size along axis ${i + 1}`, `${+s.toFixed(4)} mm`, `${limits.minSpacingMm} to ${limits.maxSpacingMm} mm`);
    const extent = s * volume.dims[i]!;
    if (extent > limits.maxExtentMm) throw new IngestError('dimensions', file, `field of view along axis ${i + 1}`, `${+extent.toFixed(1)} mm`, `at most ${limits.maxExtentMm} mm`);
  });
  const d = volume.data;
  let bad = 0;
  let first = -1;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!Number.isFinite(v)) {
      if (bad++ === 0) first = i;
      continue;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (bad > 0) {
    const [nx, ny] = volume.dims;
    const at = `(${first % nx}, ${Math.floor(first / nx) % ny}, ${Math.floor(first / (nx * ny))})`;
    throw new IngestError('non-finite', file, 'voxel values', `${bad} NaN/infinite voxel(s), the first ${String(d[first])} at ${at}`, 'finite numbers only');
  }
  if (!(hi > lo)) throw new IngestError('constant', file, 'voxel values', `all ${lo}`, 'an image (at least two different values)');
}

/** World-space (RAS mm) axis-aligned bounding box of a grid's voxel centres, widened by half a voxel. */
export function worldBounds(volume: Pick<Volume, 'dims' | 'affine'>): { min: [number, number, number]; max: [number, number, number] } {
  const [nx, ny, nz] = volume.dims;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const i of [-0.5, nx - 0.5])
    for (const j of [-0.5, ny - 0.5])
      for (const k of [-0.5, nz - 0.5]) {
        const p = applyAffine(volume.affine, [i, j, k]);
        for (let c = 0; c < 3; c++) {
          min[c] = Math.min(min[c]!, p[c]!);
          max[c] = Math.max(max[c]!, p[c]!);
        }
      }
  return { min, max };
}

/** Overlap of two bounding boxes as a fraction of the smaller one's volume (0 to 1). */
export function boxOverlap(a: ReturnType<typeof worldBounds>, b: ReturnType<typeof worldBounds>): number {
  let inter = 1,
    va = 1,
    vb = 1;
  for (let c = 0; c < 3; c++) {
    inter *= Math.max(0, Math.min(a.max[c]!, b.max[c]!) - Math.max(a.min[c]!, b.min[c]!));
    va *= a.max[c]! - a.min[c]!;
    vb *= b.max[c]! - b.min[c]!;
  }
  return inter / Math.min(va, vb);
}

/**
 * Check that every sequence shares the reference's patient space; return warnings for what is
 * unusual but acceptable.
 */
export function validateStudyGeometry(reference: { file: string; volume: Volume<Float32Array> }, others: readonly { file: string; volume: Volume<Float32Array> }[], limits: IngestLimits): string[] {
  const warnings: string[] = [];
  const refBox = worldBounds(reference.volume);
  const refCode = orientationCode(reference.volume.affine);
  for (const o of others) {
    const overlap = boxOverlap(refBox, worldBounds(o.volume));
    if (overlap < limits.minOverlap)
      throw new IngestError(
        'geometry-mismatch',
        o.file,
        `world bounding-box overlap with ${reference.file}`,
        `${(overlap * 100).toFixed(1)}%`,
        `at least ${(limits.minOverlap * 100).toFixed(0)}% of the smaller box (the sequences must be in the same patient space)`,
      );
    const code = orientationCode(o.volume.affine);
    if (code !== refCode) warnings.push(`${o.file}: orientation ${code} differs from ${reference.file} (${refCode}); it is resampled onto the T1gd grid`);
  }
  return warnings;
}

/**
 * A DICOM series must have its slices evenly spaced and touching: a step more than 1.5 times the
 * median means missing slices, and a median step beyond the slice thickness (by more than 0.5 mm and
 * 10 %) means gaps between thick slices ("spacing between slices" > "slice thickness", common in 2D
 * clinical FLAIR/T2) — tissue in the gaps was never imaged, and interpolating across it would invent
 * tumour boundaries. NIfTI carries no slice thickness, so only DICOM is checked.
 */
export function validateSliceGaps(d: Pick<DecodedSequence, 'file' | 'slices'>): void {
  const steps = d.slices?.stepsMm;
  if (!steps || steps.length < 2) return;
  const sorted = [...steps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const worst = steps.reduce((w, s, i) => (s > steps[w]! ? i : w), 0);
  if (steps[worst]! > 1.5 * median)
    throw new IngestError('slice-gaps', d.file, `step between slices ${worst + 1} and ${worst + 2}`, `${steps[worst]} mm`, `about ${median} mm like the others (a slice is missing)`);
  const t = d.slices.thicknessMm;
  if (t !== null && median - t > Math.max(0.5, 0.1 * t))
    throw new IngestError(
      'slice-gaps',
      d.file,
      'slice spacing',
      `${median} mm with slices ${t} mm thick (a ${+(median - t).toFixed(2)} mm gap)`,
      `at most ${+(t + Math.max(0.5, 0.1 * t)).toFixed(2)} mm (contiguous slices)`,
    );
}
