/**
 * Normalized mutual information, NMI = (H(A) + H(B)) / H(A, B) (Studholme 1999), of a fixed volume and
 * a moving volume seen through a world transform (fixed world → moving world, RAS+ mm 4×4), sampled on
 * the fixed grid. Ranges from 1 (independent) to 2 (one image determines the other). Only voxels
 * whose point falls inside the moving grid and where at least one image is non-zero are counted
 * (background-only voxels would make any two skull-stripped images look alike). Intensities are
 * binned into `bins` equal-width bins between each image's minimum and maximum; the moving image is
 * sampled by trilinear interpolation.
 */
import { voxelToVoxel, sampleLinear } from '../resample';
import type { Mat4, Volume } from '../volume';

export interface NmiOptions {
  bins?: number;
  /** Use every `stride`-th voxel along each axis (default 2: one voxel in 8). */
  stride?: number;
}

function range(data: Float32Array): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

export function normalizedMutualInformation(fixed: Volume<Float32Array>, moving: Volume<Float32Array>, fixedToMovingWorld?: Mat4, options: NmiOptions = {}): number {
  const bins = options.bins ?? 32;
  const stride = options.stride ?? 2;
  const [flo, fhi] = range(fixed.data);
  const [mlo, mhi] = range(moving.data);
  const fs = (bins - 1e-9) / (fhi - flo || 1),
    ms = (bins - 1e-9) / (mhi - mlo || 1);
  const joint = new Float64Array(bins * bins);
  const m = voxelToVoxel(moving, fixed, fixedToMovingWorld);
  const [nx, ny, nz] = fixed.dims;
  const [sx, sy, sz] = moving.dims;
  let n = 0;
  for (let k = 0; k < nz; k += stride)
    for (let j = 0; j < ny; j += stride)
      for (let i = 0; i < nx; i += stride) {
        const x = m[0]! * i + m[1]! * j + m[2]! * k + m[3]!;
        const y = m[4]! * i + m[5]! * j + m[6]! * k + m[7]!;
        const z = m[8]! * i + m[9]! * j + m[10]! * k + m[11]!;
        if (x < 0 || y < 0 || z < 0 || x > sx - 1 || y > sy - 1 || z > sz - 1) continue;
        const a = fixed.data[i + nx * (j + ny * k)]!;
        const b = sampleLinear(moving.data, moving.dims, x, y, z);
        if (a === 0 && b === 0) continue;
        const ba = Math.min(bins - 1, Math.max(0, Math.floor((a - flo) * fs)));
        const bb = Math.min(bins - 1, Math.max(0, Math.floor((b - mlo) * ms)));
        joint[ba * bins + bb]!++;
        n++;
      }
  if (n === 0) return 1;
  const pa = new Float64Array(bins),
    pb = new Float64Array(bins);
  let hab = 0;
  for (let a = 0; a < bins; a++)
    for (let b = 0; b < bins; b++) {
      const p = joint[a * bins + b]! / n;
      if (p > 0) hab -= p * Math.log(p);
      pa[a]! += p;
      pb[b]! += p;
    }
  let ha = 0,
    hb = 0;
  for (let i = 0; i < bins; i++) {
    if (pa[i]! > 0) ha -= pa[i]! * Math.log(pa[i]!);
    if (pb[i]! > 0) hb -= pb[i]! * Math.log(pb[i]!);
  }
  return hab > 0 ? (ha + hb) / hab : 2;
}
