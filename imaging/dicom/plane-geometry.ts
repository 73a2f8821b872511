/**
 * Between a volume's grid (RAS+ voxel-to-world affine, x fastest: ../volume.ts) and DICOM plane
 * geometry (LPS patient coordinates, PS3.3 C.7.6.2): voxel (i, j, k) is column i, row j of slice k,
 * so a slice's pixels are the volume's k-th x-y plane in file order, unchanged.
 *
 * - ImageOrientationPatient = unit LPS directions of increasing i (along a row) and increasing j;
 * - PixelSpacing = [row spacing (j), column spacing (i)], in that order (PS3.3 10.7.1.3);
 * - ImagePositionPatient of slice k = LPS world of voxel (0, 0, k).
 */
import type { Mat4 } from '../volume';

export type Vec3m = [number, number, number];

export interface SlicePlane {
  readonly imagePositionPatient: Vec3m;
}

export interface PlaneGeometry {
  readonly imageOrientationPatient: [number, number, number, number, number, number];
  /** [row spacing, column spacing] in mm. */
  readonly pixelSpacing: [number, number];
  /** Distance between slice centres along the slice axis (mm). */
  readonly sliceSpacing: number;
  readonly slices: SlicePlane[];
}

const norm = (v: readonly number[]) => Math.hypot(v[0]!, v[1]!, v[2]!);

/** The DICOM plane geometry of each slice of a grid with `nz` slices. */
export function planeGeometryFromAffine(affine: Mat4, nz: number): PlaneGeometry {
  const lps = (r: number, c: number) => (r < 2 ? -affine[r * 4 + c]! : affine[r * 4 + c]!);
  const col = (c: number): Vec3m => [lps(0, c), lps(1, c), lps(2, c)];
  const di = col(0);
  const dj = col(1);
  const dk = col(2);
  const si = norm(di);
  const sj = norm(dj);
  const origin = col(3);
  const slices: SlicePlane[] = [];
  for (let k = 0; k < nz; k++) slices.push({ imagePositionPatient: [origin[0] + k * dk[0], origin[1] + k * dk[1], origin[2] + k * dk[2]] });
  return {
    imageOrientationPatient: [di[0] / si, di[1] / si, di[2] / si, dj[0] / sj, dj[1] / sj, dj[2] / sj],
    pixelSpacing: [sj, si],
    sliceSpacing: norm(dk),
    slices,
  };
}

/**
 * The RAS+ affine of a series whose slices are given in order (first slice = k 0): columns from the
 * orientation and pixel spacing, slice step from the first to the last position.
 */
export function affineFromPlanes(iop: readonly number[], pixelSpacing: readonly number[], positions: readonly (readonly number[])[]): number[] {
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  const n = positions.length;
  const x = [iop[0]!, iop[1]!, iop[2]!];
  const y = [iop[3]!, iop[4]!, iop[5]!];
  let step: number[];
  if (n > 1) step = [0, 1, 2].map((a) => (last[a]! - first[a]!) / (n - 1));
  else step = [x[1]! * y[2]! - x[2]! * y[1]!, x[2]! * y[0]! - x[0]! * y[2]!, x[0]! * y[1]! - x[1]! * y[0]!];
  const ci = x.map((v) => v * pixelSpacing[1]!);
  const cj = y.map((v) => v * pixelSpacing[0]!);
  const m = [0, 1, 2].map((r) => [ci[r]!, cj[r]!, step[r]!, first[r]!]);
  // LPS → RAS: negate the first two rows.
  return [...m[0]!.map((v) => -v), ...m[1]!.map((v) => -v), ...m[2]!, 0, 0, 0, 1];
}
