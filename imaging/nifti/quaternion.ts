/**
 * NIfTI-1 qform ↔ affine, after nifti1_io.c (nifti_quatern_to_mat44 and nifti_mat44_to_quatern).
 * Affines are row-major 4×4 voxel-to-world (RAS+ mm), as in volume.ts.
 */
import { polarRotation } from '../polar-rotation';
import type { Mat4 } from '../volume';

export interface Qform {
  b: number;
  c: number;
  d: number;
  offset: [number, number, number];
  /** Voxel sizes (pixdim[1..3]), positive. */
  spacing: [number, number, number];
  /** pixdim[0]: +1, or −1 when the third axis is flipped to make the rotation proper. */
  qfac: 1 | -1;
}

export function qformToAffine(q: Qform): number[] {
  let { b, c, d } = q;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // Special case in nifti1_io: a 180° rotation; renormalise (b, c, d).
    const s = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= s;
    c *= s;
    d *= s;
    a = 0;
  } else a = Math.sqrt(a);
  const [dx, dy, dz0] = q.spacing.map((v) => (v > 0 ? v : 1)) as [number, number, number];
  const dz = q.qfac < 0 ? -dz0 : dz0;
  return [
    (a * a + b * b - c * c - d * d) * dx,
    2 * (b * c - a * d) * dy,
    2 * (b * d + a * c) * dz,
    q.offset[0],
    2 * (b * c + a * d) * dx,
    (a * a + c * c - b * b - d * d) * dy,
    2 * (c * d - a * b) * dz,
    q.offset[1],
    2 * (b * d - a * c) * dx,
    2 * (c * d + a * b) * dy,
    (a * a + d * d - c * c - b * b) * dz,
    q.offset[2],
    0,
    0,
    0,
    1,
  ];
}

/**
 * The qform that best represents an affine: the rotation part is orthogonalised (polar
 * decomposition by iteration, as nifti_mat33_polar), so shears are lost — the sform keeps them.
 */
export function affineToQform(m: Mat4): Qform {
  let r11 = m[0]!,
    r12 = m[1]!,
    r13 = m[2]!;
  let r21 = m[4]!,
    r22 = m[5]!,
    r23 = m[6]!;
  let r31 = m[8]!,
    r32 = m[9]!,
    r33 = m[10]!;
  let xd = Math.hypot(r11, r21, r31);
  let yd = Math.hypot(r12, r22, r32);
  let zd = Math.hypot(r13, r23, r33);
  if (xd === 0) {
    r11 = 1;
    r21 = r31 = 0;
    xd = 1;
  }
  if (yd === 0) {
    r22 = 1;
    r12 = r32 = 0;
    yd = 1;
  }
  if (zd === 0) {
    r33 = 1;
    r13 = r23 = 0;
    zd = 1;
  }
  const spacing: [number, number, number] = [xd, yd, zd];
  r11 /= xd;
  r21 /= xd;
  r31 /= xd;
  r12 /= yd;
  r22 /= yd;
  r32 /= yd;
  r13 /= zd;
  r23 /= zd;
  r33 /= zd;
  // Orthogonalise (polar decomposition): shears are dropped, the closest rotation kept.
  const R = polarRotation([r11, r12, r13, r21, r22, r23, r31, r32, r33]);
  [r11, r12, r13, r21, r22, r23, r31, r32, r33] = R as [number, number, number, number, number, number, number, number, number];
  const det = r11 * (r22 * r33 - r32 * r23) - r12 * (r21 * r33 - r31 * r23) + r13 * (r21 * r32 - r31 * r22);
  let qfac: 1 | -1 = 1;
  if (det <= 0) {
    qfac = -1;
    r13 = -r13;
    r23 = -r23;
    r33 = -r33;
  }
  let a = r11 + r22 + r33 + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xx = 1 + r11 - (r22 + r33);
    const yy = 1 + r22 - (r11 + r33);
    const zz = 1 + r33 - (r11 + r22);
    if (xx > 1) {
      b = 0.5 * Math.sqrt(xx);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yy > 1) {
      c = 0.5 * Math.sqrt(yy);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zz);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, offset: [m[3]!, m[7]!, m[11]!], spacing, qfac };
}
