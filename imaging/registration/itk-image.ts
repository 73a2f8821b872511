/**
 * Conversions between our Volume (x-fastest voxels, RAS+ mm voxel-to-world affine: see ../volume.ts)
 * and itk-wasm's Image and Transform objects, which live in ITK's LPS+ world: origin = LPS position of
 * voxel (0,0,0), spacing in mm per axis, direction a row-major 3×3 whose column c is the unit LPS
 * direction of array axis c (checked against a DICOM series written with a known oblique
 * orientation). The voxel order is the same in both (x fastest), so the data is shared, not copied.
 *
 * RAS and LPS differ by F = diag(-1, -1, 1): affine_RAS = F · affine_LPS, and a world transform T
 * written in LPS is F · T · F in RAS.
 */
import type { Image, TransformList } from 'itk-wasm';
import type { Mat4, Volume } from '../volume';
import { multiply4, spacingFromAffine } from '../volume';

const F = [-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/** LPS ⇄ RAS for a 4×4 world transform (F is its own inverse). */
export function flipWorldTransform(t: Mat4): number[] {
  return multiply4(F, multiply4(t, F));
}

/** A float32 itk-wasm Image viewing the volume's voxels (no copy). */
export function volumeToItkImage(volume: Volume<Float32Array>, name = 'image'): Image {
  const lps = multiply4(F, volume.affine);
  const spacing = spacingFromAffine(volume.affine);
  const direction = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) direction[r * 3 + c] = lps[r * 4 + c]! / spacing[c]!;
  return {
    imageType: { dimension: 3, componentType: 'float32', pixelType: 'Scalar', components: 1 },
    name,
    origin: [lps[3]!, lps[7]!, lps[11]!],
    spacing: [...spacing],
    direction,
    size: [...volume.dims],
    metadata: new Map(),
    data: volume.data,
  };
}

/** The RAS voxel-to-world affine of an itk-wasm Image (3D). */
export function itkImageAffine(image: Pick<Image, 'origin' | 'spacing' | 'direction'>): number[] {
  const lps = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) lps[r * 4 + c] = Number(image.direction[r * 3 + c]) * image.spacing[c]!;
    lps[r * 4 + 3] = image.origin[r]!;
  }
  return multiply4(F, lps);
}

/** y = M(x − c) + c + t as a 4×4 (row-major 3×3 M, centre c, translation t). */
function centred(m: readonly number[], c: readonly number[], t: readonly number[]): number[] {
  const out = [m[0]!, m[1]!, m[2]!, 0, m[3]!, m[4]!, m[5]!, 0, m[6]!, m[7]!, m[8]!, 0, 0, 0, 0, 1];
  for (let r = 0; r < 3; r++) out[r * 4 + 3] = c[r]! + t[r]! - (m[r * 3]! * c[0]! + m[r * 3 + 1]! * c[1]! + m[r * 3 + 2]! * c[2]!);
  return out;
}

/** ITK Euler3DTransform matrix with ComputeZYX off (elastix's default): R = Rz · Rx · Ry. */
function euler3d(rx: number, ry: number, rz: number): number[] {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(rx), Math.sin(rx), Math.cos(ry), Math.sin(ry), Math.cos(rz), Math.sin(rz)];
  const X = [1, 0, 0, 0, cx, -sx, 0, sx, cx];
  const Y = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const Z = [cz, -sz, 0, sz, cz, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]) =>
    a.map((_, i) => {
      const r = Math.floor(i / 3),
        c = i % 3;
      return a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
    });
  return mul(Z, mul(X, Y));
}

/**
 * Compose an elastix TransformList (Euler3D, Affine, Translation; the Composite wrapper is skipped)
 * into one 4×4 LPS world transform from fixed to moving points (what elastix estimates).
 */
export function itkTransformListToMatrix(list: TransformList): number[] {
  let total = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  for (const t of list) {
    const kind = t.transformType.transformParameterization;
    if (kind === 'Composite') continue;
    const p = Array.from(t.parameters as ArrayLike<number>);
    const fp = Array.from(t.fixedParameters as ArrayLike<number>);
    let m: number[];
    if (kind === 'Euler3D') m = centred(euler3d(p[0]!, p[1]!, p[2]!), fp, p.slice(3, 6));
    else if (kind === 'Affine') m = centred(p.slice(0, 9), fp, p.slice(9, 12));
    else if (kind === 'Translation') m = centred([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0], p.slice(0, 3));
    else throw new RangeError(`transform type ${kind} is not supported (expected Euler3D, Affine or Translation)`);
    // ITK composite transforms apply the last-added transform first.
    total = multiply4(total, m);
  }
  return total;
}
