/**
 * Per-subject shape: a random global similarity (scaling, small rotation and shift about the brain
 * centre) composed with a smooth random displacement field, and (when there is a tumour) a radial
 * mass effect around the tumour centre. Together they map a subject-space world point x (mm) to the
 * template point it shows: φ(x) = A·m(x) + d(x).
 *
 * d is smooth Gaussian noise on an 8 mm control grid (σ = 12 mm), interpolated trilinearly. Its
 * amplitude is capped so that the Frobenius norm of its Jacobian stays below 0.9 on the control
 * grid, which keeps det(I + ∇d) > 0: the map folds nowhere (diffeomorphic-looking, not a
 * guaranteed diffeomorphism between control points, where it is trilinear).
 */
import { smoothNoise } from '../filters';
import type { Rng } from '../random';
import { sampleLinear } from '../resample';
import type { Dims, Grid, Vec3 } from '../volume';
import { applyAffine, invertAffine, rigidTransform, multiply4 } from '../volume';

export interface DeformationParameters {
  /** Subject brain size relative to the template, per world axis. */
  scale: [number, number, number];
  rotationDeg: [number, number, number];
  translationMm: [number, number, number];
  /** RMS displacement of the smooth field (mm), after the Jacobian cap. */
  displacementRmsMm: number;
}

export interface MassEffect {
  centre: Vec3;
  /** Compression at the centre (0..0.6): template radius r' = r·(1 − k·exp(−(r/L)²)). */
  k: number;
  /** Length scale L (mm). */
  lengthMm: number;
}

export interface Deformation {
  parameters: DeformationParameters;
  /** Subject world → template world, linear part (the inverse of the subject's similarity). */
  subjectToTemplate: number[];
  /** Control grid and the three displacement components (mm, template world). */
  control: Grid & { spacingMm: number };
  field: [Float32Array, Float32Array, Float32Array];
  mass: MassEffect | null;
}

const controlSpacingMm = 8;

export function drawDeformation(rng: Rng, brainCentre: Vec3, extentMm: Vec3): Deformation {
  const g = rng.truncatedNormal(1, 0.06, 0.88, 1.12);
  const scale: [number, number, number] = [0, 1, 2].map(() => g * rng.uniform(0.97, 1.03)) as [number, number, number];
  const rotationDeg: [number, number, number] = [rng.uniform(-4, 4), rng.uniform(-3, 3), rng.uniform(-4, 4)];
  const translationMm: [number, number, number] = [rng.uniform(-3, 3), rng.uniform(-3, 3), rng.uniform(-3, 3)];
  // Subject = T·R·S about the centre applied to the template; we need its inverse.
  const rad = rotationDeg.map((d) => (d * Math.PI) / 180) as [number, number, number];
  const [cx, cy, cz] = brainCentre;
  const S = [scale[0], 0, 0, cx - scale[0] * cx, 0, scale[1], 0, cy - scale[1] * cy, 0, 0, scale[2], cz - scale[2] * cz, 0, 0, 0, 1];
  const forward = multiply4(rigidTransform(rad, translationMm, brainCentre), S);
  const subjectToTemplate = invertAffine(forward);

  const dims = extentMm.map((e) => Math.ceil(e / controlSpacingMm) + 3) as [number, number, number];
  const origin = [0, 1, 2].map((a) => brainCentre[a]! - ((dims[a]! - 1) / 2) * controlSpacingMm);
  const control = {
    dims: dims as Dims,
    affine: [controlSpacingMm, 0, 0, origin[0]!, 0, controlSpacingMm, 0, origin[1]!, 0, 0, controlSpacingMm, origin[2]!, 0, 0, 0, 1],
    spacingMm: controlSpacingMm,
  };
  const sigmaVox = 12 / controlSpacingMm;
  let amp = rng.uniform(1.5, 3.5);
  const field = [0, 1, 2].map(() => smoothNoise(dims, sigmaVox, () => rng.normal())) as [Float32Array, Float32Array, Float32Array];
  const maxJ = maxJacobianNorm(field, dims, controlSpacingMm);
  if (amp * maxJ > 0.9) amp = 0.9 / maxJ;
  for (const f of field) for (let i = 0; i < f.length; i++) f[i]! *= amp;
  return { parameters: { scale, rotationDeg, translationMm, displacementRmsMm: amp * Math.sqrt(3) }, subjectToTemplate, control, field, mass: null };
}

/** Largest Frobenius norm of ∇d over the control grid (central differences), for unit amplitude. */
export function maxJacobianNorm(field: readonly Float32Array[], dims: Dims, spacing: number): number {
  const [nx, ny, nz] = dims;
  let max = 0;
  const strides = [1, nx, nx * ny];
  for (let z = 1; z < nz - 1; z++)
    for (let y = 1; y < ny - 1; y++)
      for (let x = 1; x < nx - 1; x++) {
        const i = x + nx * (y + ny * z);
        let s = 0;
        for (const f of field)
          for (const st of strides) {
            const d = (f[i + st]! - f[i - st]!) / (2 * spacing);
            s += d * d;
          }
        if (s > max) max = s;
      }
  return Math.sqrt(max);
}

/** Displacement (mm) at a subject world point. */
export function displacementAt(def: Deformation, p: Vec3): [number, number, number] {
  const v = applyAffine(invertAffine(def.control.affine), p);
  return def.field.map((f) => sampleLinear(f, def.control.dims, v[0], v[1], v[2], 0)) as [number, number, number];
}

/** φ(x) for one point (the per-voxel loop in warpTemplate inlines the same arithmetic). */
export function subjectToTemplatePoint(def: Deformation, x: Vec3): [number, number, number] {
  const m = massEffect(def.mass, x);
  const a = applyAffine(def.subjectToTemplate, m);
  const d = displacementAt(def, x);
  return [a[0] + d[0], a[1] + d[1], a[2] + d[2]];
}

function massEffect(mass: MassEffect | null, x: Vec3): Vec3 {
  if (!mass) return x;
  const dx = x[0] - mass.centre[0],
    dy = x[1] - mass.centre[1],
    dz = x[2] - mass.centre[2];
  const u = (dx * dx + dy * dy + dz * dz) / (mass.lengthMm * mass.lengthMm);
  const f = 1 - mass.k * Math.exp(-u);
  return [mass.centre[0] + dx * f, mass.centre[1] + dy * f, mass.centre[2] + dz * f];
}

/** The subject point that shows template point p (fixed-point iteration; exact at the centre of a mass effect). */
export function templateToSubjectPoint(def: Deformation, p: Vec3): [number, number, number] {
  const inv = invertAffine(def.subjectToTemplate);
  let x = applyAffine(inv, p);
  for (let it = 0; it < 20; it++) {
    const d = displacementAt(def, x);
    x = applyAffine(inv, [p[0] - d[0], p[1] - d[1], p[2] - d[2]]);
  }
  return x;
}

/**
 * Sample the template at φ(x) for every voxel of a subject grid with a diagonal affine (RAS, as
 * the canonical grid is); trilinear, 0 outside the template.
 */
export function warpTemplate(def: Deformation, template: { dims: Dims; affine: readonly number[]; data: Float32Array }, grid: Grid): Float32Array {
  const [nx, ny, nz] = grid.dims;
  const ga = grid.affine;
  const out = new Float32Array(nx * ny * nz);
  const toTemplateVoxel = invertAffine(template.affine);
  const toControl = invertAffine(def.control.affine);
  const L = multiply4(toTemplateVoxel, def.subjectToTemplate); // subject world → template voxel
  const [fx, fy, fz] = def.field;
  const cd = def.control.dims;
  const tvx = toTemplateVoxel[0]!,
    tvy = toTemplateVoxel[5]!,
    tvz = toTemplateVoxel[10]!; // template voxels per mm (diagonal template affine)
  const mass = def.mass;
  const reach2 = mass ? (3 * mass.lengthMm) ** 2 : 0;
  let o = 0;
  for (let k = 0; k < nz; k++) {
    const wz = ga[10]! * k + ga[11]!;
    for (let j = 0; j < ny; j++) {
      const wy = ga[5]! * j + ga[7]!;
      for (let i = 0; i < nx; i++, o++) {
        const wx = ga[0]! * i + ga[3]!;
        let mx = wx,
          my = wy,
          mz = wz;
        if (mass) {
          const dx = wx - mass.centre[0],
            dy = wy - mass.centre[1],
            dz = wz - mass.centre[2];
          const r2 = dx * dx + dy * dy + dz * dz;
          if (r2 < reach2) {
            const f = 1 - mass.k * Math.exp(-r2 / (mass.lengthMm * mass.lengthMm));
            mx = mass.centre[0] + dx * f;
            my = mass.centre[1] + dy * f;
            mz = mass.centre[2] + dz * f;
          }
        }
        const cx = toControl[0]! * wx + toControl[3]!,
          cy = toControl[5]! * wy + toControl[7]!,
          cz = toControl[10]! * wz + toControl[11]!;
        const ux = sampleLinear(fx, cd, cx, cy, cz),
          uy = sampleLinear(fy, cd, cx, cy, cz),
          uz = sampleLinear(fz, cd, cx, cy, cz);
        const px = L[0]! * mx + L[1]! * my + L[2]! * mz + L[3]! + tvx * ux;
        const py = L[4]! * mx + L[5]! * my + L[6]! * mz + L[7]! + tvy * uy;
        const pz = L[8]! * mx + L[9]! * my + L[10]! * mz + L[11]! + tvz * uz;
        out[o] = sampleLinear(template.data, template.dims, px, py, pz, 0);
      }
    }
  }
  return out;
}
