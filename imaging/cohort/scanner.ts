/**
 * Scanner effects, applied per sequence after rendering (layout and affines: see ../volume.ts):
 *  1. smooth multiplicative bias field exp(b(x)), b smooth noise on a 16 mm grid (σ 48 mm) plus a
 *     linear gradient, scaled to the site's SD of log bias (one field per subject, shared by its
 *     sequences with a per-sequence weight: same coil, different sequences);
 *  2. partial-volume blur: Gaussian with FWHM equal to each acquisition voxel size (beyond what the
 *     canonical grid already has), along the canonical axis the acquisition axis runs along;
 *  3. resampling (trilinear) onto the acquisition grid, through the sequence's stated rigid
 *     misalignment: the anatomy at canonical world point p appears at world point M·p;
 *  4. Rician noise: |s + n₁ + i·n₂|, n ~ Normal(0, σ), σ = noise fraction × WM T1 signal;
 *  5. vendor contrast and gain: stored = gain · s^γ (see sites.ts), rounded to int16 by the writer.
 */
import { gaussianBlur, smoothNoise } from '../filters';
import { parseOrientationCode } from '../orientation';
import type { Rng } from '../random';
import { resample } from '../resample';
import type { Grid, Vec3, Volume } from '../volume';
import { invertAffine, rigidTransform } from '../volume';
import type { Acquisition } from './sites';

/**
 * The acquisition grid: voxel size `spacing` along stored axes running as `orientation` says,
 * covering the canonical field of view, centred on the same world point.
 */
export function acquisitionGrid(canonical: Grid, acq: Acquisition, spacingScale: number): Grid {
  const { axis, sign } = parseOrientationCode(acq.orientation);
  const cs = canonical.affine[0]!; // canonical: diagonal, isotropic
  const fov = canonical.dims.map((d) => d * cs);
  const centre = [0, 1, 2].map((w) => canonical.affine[w * 4 + 3]! + ((canonical.dims[w]! - 1) / 2) * cs);
  const spacing = acq.spacing.map((s) => s * spacingScale);
  const dims = [0, 1, 2].map((a) => Math.max(1, Math.round(fov[axis[a]!]! / spacing[a]!))) as [number, number, number];
  const m = new Array<number>(16).fill(0);
  m[15] = 1;
  for (let a = 0; a < 3; a++) m[axis[a]! * 4 + a] = sign[a]! * spacing[a]!;
  for (let w = 0; w < 3; w++) {
    let off = centre[w]!;
    for (let a = 0; a < 3; a++) off -= m[w * 4 + a]! * ((dims[a]! - 1) / 2);
    m[w * 4 + 3] = off;
  }
  return { dims, affine: m };
}

export interface Misalignment {
  rotationDeg: [number, number, number];
  translationMm: [number, number, number];
  /** Rotation centre (mm, world). */
  centreMm: [number, number, number];
  /** M, row-major 4×4: anatomy at canonical world point p appears at M·p in this sequence. */
  matrix: number[];
}

export function drawMisalignment(rng: Rng, maxRotationDeg: number, maxTranslationMm: number, centre: Vec3): Misalignment {
  const rotationDeg = [0, 1, 2].map(() => rng.uniform(-maxRotationDeg, maxRotationDeg)) as [number, number, number];
  const translationMm = [0, 1, 2].map(() => rng.uniform(-maxTranslationMm, maxTranslationMm)) as [number, number, number];
  return { rotationDeg, translationMm, centreMm: [...centre], matrix: misalignmentMatrix(rotationDeg, translationMm, centre) };
}

export function misalignmentMatrix(rotationDeg: Vec3, translationMm: Vec3, centre: Vec3): number[] {
  return rigidTransform(rotationDeg.map((d) => (d * Math.PI) / 180) as [number, number, number], translationMm, centre);
}

export function identityMisalignment(centre: Vec3): Misalignment {
  return { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [...centre], matrix: misalignmentMatrix([0, 0, 0], [0, 0, 0], centre) };
}

/** Log bias field on the canonical grid: smooth noise plus a random linear gradient, SD ≈ logSd. */
export function biasField(rng: Rng, canonical: Grid, logSd: number): Float32Array {
  const cs = canonical.affine[0]!;
  const coarseMm = 16;
  const cd = canonical.dims.map((d) => Math.ceil((d * cs) / coarseMm) + 2) as [number, number, number];
  const noise = smoothNoise(cd, 48 / coarseMm, () => rng.normal());
  const g = [rng.normal(), rng.normal(), rng.normal()];
  const gn = Math.hypot(g[0]!, g[1]!, g[2]!) || 1;
  for (let z = 0, i = 0; z < cd[2]; z++)
    for (let y = 0; y < cd[1]; y++)
      for (let x = 0; x < cd[0]; x++, i++) {
        const u = [(x / (cd[0] - 1)) * 2 - 1, (y / (cd[1] - 1)) * 2 - 1, (z / (cd[2] - 1)) * 2 - 1];
        noise[i] = 0.7 * noise[i]! + 0.7 * ((g[0]! * u[0]! + g[1]! * u[1]! + g[2]! * u[2]!) / gn) * 1.2;
      }
  for (let i = 0; i < noise.length; i++) noise[i]! *= logSd;
  const coarse: Grid = {
    dims: cd,
    affine: [coarseMm, 0, 0, canonical.affine[3]! - coarseMm / 2, 0, coarseMm, 0, canonical.affine[7]! - coarseMm / 2, 0, 0, coarseMm, canonical.affine[11]! - coarseMm / 2, 0, 0, 0, 1],
  };
  return resample({ ...coarse, spacing: [coarseMm, coarseMm, coarseMm], data: noise }, canonical, { outside: 'clamp' }).data;
}

export interface ScannerSettings {
  grid: Grid;
  misalignment: Misalignment;
  /** log bias (canonical grid) and its weight for this sequence. */
  logBias: Float32Array;
  biasWeight: number;
  noiseSd: number;
  gain: number;
  gamma: number;
}

/** Apply the scanner to a rendered canonical image; returns the stored image (float, before int16 rounding). */
export function acquire(rng: Rng, image: Float32Array, canonical: Grid, s: ScannerSettings): Volume<Float32Array> {
  const n = image.length;
  const biased = new Float32Array(n);
  const bias = tabulate((b) => Math.exp(s.biasWeight * b), -2, 2);
  for (let i = 0; i < n; i++) biased[i] = image[i]! * bias(s.logBias[i]!);
  const blurred = partialVolumeBlur(biased, canonical, s.grid);
  const moved = resample({ dims: canonical.dims, spacing: [canonical.affine[0]!, canonical.affine[5]!, canonical.affine[10]!], affine: canonical.affine, data: blurred }, s.grid, {
    targetToSourceWorld: invertAffine(s.misalignment.matrix),
  });
  const out = moved.data;
  const sd = s.noiseSd;
  const stored = tabulate((m) => s.gain * Math.pow(m, s.gamma), 0, 3);
  for (let i = 0; i < out.length; i++) {
    const re = out[i]! + sd * rng.normal();
    const im = sd * rng.normal();
    out[i] = stored(Math.sqrt(re * re + im * im));
  }
  return moved;
}

/** A smooth function tabulated on [lo, hi] (8192 steps, linear interpolation, clamped outside). */
function tabulate(fn: (x: number) => number, lo: number, hi: number): (x: number) => number {
  const steps = 8192;
  const table = new Float64Array(steps + 2);
  for (let i = 0; i <= steps + 1; i++) table[i] = fn(lo + ((hi - lo) * Math.min(i, steps)) / steps);
  const scale = steps / (hi - lo);
  return (x) => {
    const u = x <= lo ? 0 : x >= hi ? steps : (x - lo) * scale;
    const i = Math.floor(u);
    return table[i]! + (u - i) * (table[i + 1]! - table[i]!);
  };
}

function partialVolumeBlur(image: Float32Array, canonical: Grid, target: Grid): Float32Array {
  const cs = canonical.affine[0]!;
  const sigma: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const col = [target.affine[a]!, target.affine[4 + a]!, target.affine[8 + a]!];
    const len = Math.hypot(col[0]!, col[1]!, col[2]!);
    const w = col.map((c) => Math.abs(c)).indexOf(Math.max(...col.map((c) => Math.abs(c))));
    const extra = len * len - cs * cs;
    if (extra > 0.01) sigma[w] = Math.max(sigma[w]!, Math.sqrt(extra) / 2.355 / cs);
  }
  return sigma.some((s) => s > 0.2) ? gaussianBlur(image, canonical.dims, sigma) : image;
}
