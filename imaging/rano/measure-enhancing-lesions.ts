import { VolumeFormatError } from '../errors';
import type { Volume } from '../volume';
import { feretDiameters } from './feret-diameters';
import { labelConnectedComponents } from './label-connected-components';
import { RANO } from './rano-thresholds';

/** One enhancing lesion (a 26-connected component of the enhancing label) measured as RANO 2.0 asks. */
export interface EnhancingLesion {
  /** 1-based, lesions ordered by product (largest first), then volume. */
  readonly id: number;
  readonly voxelCount: number;
  readonly volumeMl: number;
  /** How many axial slices the lesion appears on. */
  readonly sliceCount: number;
  /** Index (along `sliceAxis`) of the slice the diameters were measured on: the one with the largest product. */
  readonly slice: number;
  /** Longest in-plane diameter on that slice (mm). */
  readonly longestDiameterMm: number;
  /** Extent perpendicular to the longest diameter on that slice (mm). */
  readonly perpendicularDiameterMm: number;
  readonly productMm2: number;
  /** Both diameters ≥ 10 mm and seen on ≥ 2 slices. */
  readonly measurable: boolean;
  /** Centroid of the lesion's voxels, world RAS+ mm (for tracking it across visits). */
  readonly centroidMm: readonly [number, number, number];
  /** End points of the longest diameter as (fractional) voxel indices [i, j, k], for drawing it. */
  readonly longestDiameterVoxels: readonly [readonly [number, number, number], readonly [number, number, number]];
}

export interface LesionMeasurement {
  /** The array axis treated as the slice axis: the one whose direction is nearest to world S. */
  readonly sliceAxis: 0 | 1 | 2;
  readonly lesions: readonly EnhancingLesion[];
  readonly enhancingVolumeMl: number;
}

/**
 * RANO measurements of every enhancing lesion in a label map (MSD labels: 0 background, 1 edema,
 * 2 non-enhancing core, 3 enhancing tumour; layout and affine as imaging/volume.ts).
 *
 * - Lesions are 26-connected components of the enhancing label (see labelConnectedComponents).
 * - "Axial" slices are the array slices across the axis whose direction is closest to world
 *   superior: for an oblique acquisition that is the acquired plane nearest to axial, which is the
 *   plane a reader measures on.
 * - On each slice the lesion's voxel centres are placed in the slice plane in mm (through the
 *   affine, so anisotropic and sheared voxels count with their true geometry): the longest
 *   diameter is the largest distance between two centres (maximum Feret diameter) and the
 *   perpendicular diameter the centres' extent at right angles to it (see feretDiameters), as a
 *   reader's calipers placed on the outermost enhancing voxels. On random ellipses this
 *   underestimates the true diameters by 0.4 (longest) and 0.25 (perpendicular) voxel on average,
 *   rarely more than one voxel; measuring voxel footprints instead (centres) overestimated by
 *   0.7–0.9 voxel and more often by over one voxel, so centres it is.
 * - The reported pair is from the slice with the largest product (RANO's "maximal
 *   cross-sectional enhancing diameters").
 * - Volume: voxel count × voxel volume (|det| of the affine's linear part).
 *
 * Checked against an independent SciPy implementation and against ellipsoids of known diameters
 * (imaging/rano/fixtures/make-fixtures.py). Throws VolumeFormatError naming `file` when a voxel is
 * not an MSD label (NaN, fractional, or outside 0..3).
 *
 * @example
 * // a 12 × 12-voxel square lesion on 3 slices of 1 mm voxels: centres span 11 mm each way
 * measureEnhancingLesions({ labels }).lesions[0] // { longestDiameterMm: 15.556349186104045 (11·√2), perpendicularDiameterMm: 15.556349186104045, productMm2: 242, measurable: true, sliceCount: 3, … }
 */
export function measureEnhancingLesions({ labels, enhancingLabel = 3, file = '<labels>' }: { labels: Volume; enhancingLabel?: number; file?: string }): LesionMeasurement {
  const { dims, affine, data } = labels;
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  if (data.length !== n) throw new VolumeFormatError(file, 'voxel count', data.length, `${n} (dims ${dims.join('×')})`);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (!(v === 0 || v === 1 || v === 2 || v === 3)) throw new VolumeFormatError(file, `voxel ${i} value`, v, 'an MSD label 0, 1, 2 or 3');
    if (v === enhancingLabel) mask[i] = 1;
  }
  const { labels: comp, count } = labelConnectedComponents({ mask, dims });

  const col = (c: number): [number, number, number] => [affine[c]!, affine[4 + c]!, affine[8 + c]!];
  const len = (v: readonly number[]) => Math.hypot(v[0]!, v[1]!, v[2]!);
  const sAlign = [0, 1, 2].map((c) => Math.abs(col(c)[2]) / len(col(c)));
  const sliceAxis = sAlign.indexOf(Math.max(...sAlign)) as 0 | 1 | 2;
  const [axA, axB] = ([0, 1, 2] as const).filter((a) => a !== sliceAxis) as [number, number];
  // Orthonormal in-plane basis e1, e2 (world), and the two in-plane voxel steps in it.
  const ca = col(axA);
  const cb = col(axB);
  const e1 = ca.map((v) => v / len(ca));
  const dot = (u: readonly number[], v: readonly number[]) => u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
  const cbPerp = cb.map((v, i) => v - dot(cb, e1) * e1[i]!);
  const e2 = cbPerp.map((v) => v / len(cbPerp));
  const stepA: [number, number] = [dot(ca, e1), dot(ca, e2)];
  const stepB: [number, number] = [dot(cb, e1), dot(cb, e2)];
  const lin = [affine[0]!, affine[1]!, affine[2]!, affine[4]!, affine[5]!, affine[6]!, affine[8]!, affine[9]!, affine[10]!];
  const voxelMl = Math.abs(lin[0]! * (lin[4]! * lin[8]! - lin[5]! * lin[7]!) - lin[1]! * (lin[3]! * lin[8]! - lin[5]! * lin[6]!) + lin[2]! * (lin[3]! * lin[7]! - lin[4]! * lin[6]!)) / 1000;

  // Per component: voxel count, index sums (centroid), and per slice the row extremes along axis A
  // for each row along axis B — the convex hull of a slice only needs each row's two end voxels.
  interface Acc {
    voxels: number;
    sum: [number, number, number];
    slices: Map<number, Map<number, [number, number]>>;
  }
  const acc: Acc[] = Array.from({ length: count + 1 }, () => ({ voxels: 0, sum: [0, 0, 0], slices: new Map() }));
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const c = comp[x + nx * (y + ny * z)]!;
        if (c === 0) continue;
        const a = acc[c]!;
        a.voxels += 1;
        a.sum[0] += x;
        a.sum[1] += y;
        a.sum[2] += z;
        const ijk = [x, y, z];
        const s = ijk[sliceAxis]!;
        const ia = ijk[axA]!;
        const ib = ijk[axB]!;
        let rows = a.slices.get(s);
        if (!rows) a.slices.set(s, (rows = new Map()));
        const r = rows.get(ib);
        if (!r) rows.set(ib, [ia, ia]);
        else {
          if (ia < r[0]) r[0] = ia;
          if (ia > r[1]) r[1] = ia;
        }
      }

  const to2d = (ia: number, ib: number): [number, number] => [ia * stepA[0] + ib * stepB[0], ia * stepA[1] + ib * stepB[1]];
  // Inverse of to2d (a 2×2 solve) to give the diameter's end points back as voxel indices.
  const det2 = stepA[0] * stepB[1] - stepB[0] * stepA[1];
  const from2d = (p: readonly [number, number]): [number, number] => [(p[0] * stepB[1] - stepB[0] * p[1]) / det2, (stepA[0] * p[1] - p[0] * stepA[1]) / det2];

  const measured = acc.slice(1).map((a) => {
    let best = { slice: 0, longestMm: 0, perpendicularMm: 0, product: -1, from: [0, 0] as [number, number], to: [0, 0] as [number, number] };
    for (const [s, rows] of [...a.slices.entries()].sort((p, q) => p[0] - q[0])) {
      const centres: [number, number][] = []; // row end voxels: all the hull needs
      for (const [ib, [lo, hi]] of rows) for (const ia of lo === hi ? [lo] : [lo, hi]) centres.push(to2d(ia, ib));
      const f = feretDiameters(centres);
      const product = f.longestMm * f.perpendicularMm;
      if (product > best.product) best = { slice: s, longestMm: f.longestMm, perpendicularMm: f.perpendicularMm, product, from: f.from, to: f.to };
    }
    const endpoint = (p: readonly [number, number]): [number, number, number] => {
      const [ia, ib] = from2d(p);
      const out: [number, number, number] = [0, 0, 0];
      out[sliceAxis] = best.slice;
      out[axA] = ia;
      out[axB] = ib;
      return out;
    };
    const c = a.sum.map((v) => v / a.voxels);
    const centroidMm: [number, number, number] = [0, 1, 2].map((r) => affine[r * 4]! * c[0]! + affine[r * 4 + 1]! * c[1]! + affine[r * 4 + 2]! * c[2]! + affine[r * 4 + 3]!) as [
      number,
      number,
      number,
    ];
    return {
      voxelCount: a.voxels,
      volumeMl: a.voxels * voxelMl,
      sliceCount: a.slices.size,
      slice: best.slice,
      longestDiameterMm: best.longestMm,
      perpendicularDiameterMm: best.perpendicularMm,
      productMm2: best.product,
      measurable: best.longestMm >= RANO.measurableMinDiameterMm && best.perpendicularMm >= RANO.measurableMinDiameterMm && a.slices.size >= RANO.measurableMinSlices,
      centroidMm,
      longestDiameterVoxels: [endpoint(best.from), endpoint(best.to)] as const,
    };
  });
  measured.sort((p, q) => q.productMm2 - p.productMm2 || q.volumeMl - p.volumeMl);
  const lesions = measured.map((m, i) => ({ id: i + 1, ...m }));
  return { sliceAxis, lesions, enhancingVolumeMl: lesions.reduce((s, l) => s + l.volumeMl, 0) };
}
