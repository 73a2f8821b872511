/**
 * The anatomical template: the Colin27 T1 brain installed by Debian's mricron-data
 * (ch2bet.nii.gz, skull-stripped, 181×217×181 at 1 mm, MNI space), and tissue classes derived from
 * its intensities. Layout and affine: see ../volume.ts.
 *
 * Tissue model: 1D k-means (k = 3) on the T1 intensities inside the brain (voxels > 0) splits the
 * intensity range into CSF, GM and WM; GM and WM are then represented by the mode of the smoothed
 * histogram within their ranges (k-means means are pulled towards each other by partial-volume
 * voxels: 85/109 against modes 86/113 on Colin27), and CSF by the 2nd percentile of brain
 * intensities (Colin27's CSF has no histogram peak of its own — sulcal CSF is mostly partial volume
 * — and its ventricles read about 30, the percentile about 35, while the k-means mean is 54). A voxel's tissue fractions are then a partial-volume reading of its
 * intensity t: linear mixing of background and CSF below μ_CSF, of CSF and GM between μ_CSF and
 * μ_GM, of GM and WM between μ_GM and μ_WM, pure WM above. This keeps every fold of the real
 * anatomy (rather than a blocky hard classification) and makes boundaries partial-volume by
 * construction. Atlases are not used (the k-means classes looked right on inspection).
 */
import { existsSync } from 'node:fs';
import { readNifti } from '../nifti/read-nifti';
import type { Volume } from '../volume';

export const colin27Path = '/usr/share/mricron/templates/ch2bet.nii.gz';

export interface Template {
  readonly volume: Volume<Float32Array>;
  /** Class means on the template's intensity scale: CSF, GM, WM. */
  readonly means: readonly [number, number, number];
  /** World bounding box of the brain (mm): min and max corners. */
  readonly brainBox: readonly [readonly [number, number, number], readonly [number, number, number]];
}

let cached: Promise<Template> | null = null;

/** Load Colin27 once per process. Throws a clear error when mricron-data is not installed. */
export function loadTemplate(file = colin27Path): Promise<Template> {
  if (!existsSync(file)) throw new Error(`${file} not found: install the Debian package mricron-data (Colin27 brain template)`);
  cached ??= buildTemplate(file);
  return cached;
}

async function buildTemplate(file: string): Promise<Template> {
  const volume = await readNifti(file);
  const modes = classModes(volume.data, kMeans1d(volume.data, 3));
  const means = [percentile(volume.data, 0.02), modes[1]!, modes[2]!];
  const [nx, ny, nz] = volume.dims;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let k = 0, i = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let x = 0; x < nx; x++, i++)
        if (volume.data[i]! > 0) {
          const p = [x, j, k];
          for (let a = 0; a < 3; a++) {
            lo[a] = Math.min(lo[a]!, p[a]!);
            hi[a] = Math.max(hi[a]!, p[a]!);
          }
        }
  const a = volume.affine;
  // Template affine is diagonal (MNI, RAS); convert index box to world.
  const toWorld = (p: number[]) => [0, 1, 2].map((r) => a[r * 4]! * p[0]! + a[r * 4 + 1]! * p[1]! + a[r * 4 + 2]! * p[2]! + a[r * 4 + 3]!) as [number, number, number];
  const w0 = toWorld(lo);
  const w1 = toWorld(hi);
  const brainBox = [
    [Math.min(w0[0], w1[0]), Math.min(w0[1], w1[1]), Math.min(w0[2], w1[2])],
    [Math.max(w0[0], w1[0]), Math.max(w0[1], w1[1]), Math.max(w0[2], w1[2])],
  ] as const;
  return { volume, means: [means[0]!, means[1]!, means[2]!], brainBox };
}

/** k-means on the positive values (histogram-based: the template is 8-bit), sorted means. */
export function kMeans1d(values: Float32Array, k: number): number[] {
  const hist = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > 0) hist.set(v, (hist.get(v) ?? 0) + 1);
  }
  const entries = [...hist.entries()].sort((p, q) => p[0] - q[0]);
  const total = entries.reduce((s, [, c]) => s + c, 0);
  // Initialise at evenly spaced quantiles.
  const centres: number[] = [];
  for (let c = 0; c < k; c++) {
    const target = ((c + 0.5) / k) * total;
    let acc = 0;
    for (const [v, n] of entries) {
      acc += n;
      if (acc >= target) {
        centres.push(v);
        break;
      }
    }
  }
  for (let it = 0; it < 100; it++) {
    const sum = new Array<number>(k).fill(0);
    const cnt = new Array<number>(k).fill(0);
    for (const [v, n] of entries) {
      let best = 0;
      for (let c = 1; c < k; c++) if (Math.abs(v - centres[c]!) < Math.abs(v - centres[best]!)) best = c;
      sum[best]! += v * n;
      cnt[best]! += n;
    }
    let moved = 0;
    for (let c = 0; c < k; c++) {
      const next = cnt[c]! > 0 ? sum[c]! / cnt[c]! : centres[c]!;
      moved += Math.abs(next - centres[c]!);
      centres[c] = next;
    }
    if (moved < 1e-6) break;
  }
  return centres.sort((p, q) => p - q);
}

/** The q-quantile of the positive values. */
export function percentile(values: Float32Array, q: number): number {
  const pos = values.filter((v) => v > 0).sort();
  return pos[Math.min(pos.length - 1, Math.floor(q * pos.length))] ?? 0;
}

/** Histogram mode (5-bin moving average) inside each k-means class; classes split at midpoints. */
export function classModes(values: Float32Array, centres: readonly number[]): number[] {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  const bins = Math.ceil(max) + 1;
  const hist = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > 0) hist[Math.min(bins - 1, Math.round(v))]! += 1;
  }
  const smooth = hist.map((_, b) => {
    let s = 0;
    for (let d = -2; d <= 2; d++) s += hist[b + d] ?? 0;
    return s;
  });
  return centres.map((c, i) => {
    const lo = i === 0 ? 1 : (centres[i - 1]! + c) / 2;
    const hi = i === centres.length - 1 ? bins - 1 : (centres[i + 1]! + c) / 2;
    let best = Math.round(c);
    for (let b = Math.ceil(lo); b <= Math.floor(hi); b++) if (smooth[b]! > smooth[best]!) best = b;
    return best;
  });
}

/** Tissue fractions [background, CSF, GM, WM] for an intensity, by the partial-volume rule above. */
export function tissueFractions(t: number, means: readonly [number, number, number]): [number, number, number, number] {
  const [c, g, w] = means;
  if (t <= 0) return [1, 0, 0, 0];
  if (t < c) return [1 - t / c, t / c, 0, 0];
  if (t < g) {
    const u = (t - c) / (g - c);
    return [0, 1 - u, u, 0];
  }
  if (t < w) {
    const u = (t - g) / (w - g);
    return [0, 0, 1 - u, u];
  }
  return [0, 0, 0, 1];
}
