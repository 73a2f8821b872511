/**
 * Tumour design and growth on the canonical subject grid (x-fastest layout, see ../volume.ts).
 *
 * Shape: a distance-like field f(x) = R·‖E⁻¹Q(x − c)‖ + a·n(x), where E holds the ellipsoid's
 * relative radii, Q a random rotation, n smooth unit noise (σ 4 mm, on a 2 mm grid over the tumour's
 * box) and a its amplitude (mm). The tumour is f < R. Kinds (drawn from a latent aggressiveness
 * z = site shift + 0.04·(age − 55) + Normal(0, 1)):
 *  - 'ring' (z > 0.3, glioblastoma-like): enhancing rim R − rim ≤ f < R, necrotic core f < R − rim;
 *  - 'patchy' (−0.6 < z ≤ 0.3): solid non-enhancing tumour with enhancing patches where a second
 *    noise field exceeds a drawn threshold;
 *  - 'non-enhancing' (z ≤ −0.6, low-grade-like): solid non-enhancing tumour, little oedema.
 * Oedema: an envelope f_e = f / s_e + a_e·n_e(x) < R (s_e > 1), weighted by the white-matter
 * fraction (vasogenic oedema spreads along white matter and spares cortex), plus a thin shell
 * around the tumour so that the tumour is always wrapped in oedema.
 * Memberships are partial-volume ramps one voxel wide; labels (MSD convention: 0 background,
 * 1 oedema, 2 non-enhancing tumour incl. necrosis, 3 enhancing tumour) threshold them at 0.5 and are
 * then made nested voxel-exactly: a core voxel touching a non-tumour voxel (6-neighbourhood) becomes
 * rim, and a background voxel touching tumour becomes oedema.
 */
import { smoothNoise } from '../filters';
import type { Rng } from '../random';
import { sampleLinear } from '../resample';
import type { Grid, Vec3 } from '../volume';
import { rigidTransform } from '../volume';
import type { SiteParameters } from './sites';

export type TumorKind = 'ring' | 'patchy' | 'non-enhancing';

export interface TumorDesign {
  kind: TumorKind;
  aggressiveness: number;
  /** Mean radius (mm) of the tumour (enhancing + non-enhancing). */
  radiusMm: number;
  /** Relative radii of the ellipsoid along its own axes. */
  axisRatios: [number, number, number];
  rotationDeg: [number, number, number];
  /** Boundary irregularity: noise amplitude (mm). */
  irregularityMm: number;
  /** Enhancing rim thickness (mm), ring kind only. */
  rimMm: number;
  /** Threshold on unit noise above which patchy tumours enhance (higher = less enhancement). */
  patchThreshold: number;
  /** Oedema envelope size relative to the tumour, and the minimum oedema shell (mm). */
  edemaScale: number;
  edemaShellMm: number;
  /** Mass effect compression at the centre (see deformation.ts). */
  massEffect: number;
}

export function drawTumorDesign(rng: Rng, age: number, site: SiteParameters): TumorDesign | null {
  const present = !rng.bernoulli(site.tumorFreeFraction);
  const z = site.aggressivenessShift + 0.04 * (age - 55) + rng.normal();
  const kind: TumorKind = z > 0.3 ? 'ring' : z > -0.6 ? 'patchy' : 'non-enhancing';
  const radiusMm = kind === 'ring' ? rng.truncatedNormal(18, 5, 9, 30) : kind === 'patchy' ? rng.truncatedNormal(14, 4, 7, 26) : rng.truncatedNormal(15, 5, 7, 28);
  const design: TumorDesign = {
    kind,
    aggressiveness: z,
    radiusMm,
    axisRatios: [rng.uniform(0.8, 1.25), rng.uniform(0.8, 1.25), rng.uniform(0.8, 1.25)],
    rotationDeg: [rng.uniform(-90, 90), rng.uniform(-90, 90), rng.uniform(-90, 90)],
    irregularityMm: rng.uniform(0.1, 0.25) * radiusMm,
    rimMm: kind === 'ring' ? rng.uniform(3, Math.min(8, 0.45 * radiusMm)) : 0,
    patchThreshold: kind === 'patchy' ? rng.uniform(0.3, 1.2) : Infinity,
    edemaScale: kind === 'ring' ? rng.uniform(1.5, 2.3) : kind === 'patchy' ? rng.uniform(1.3, 1.9) : rng.uniform(1.05, 1.3),
    edemaShellMm: kind === 'non-enhancing' ? 1.5 : 3,
    massEffect: Math.min(0.55, (kind === 'non-enhancing' ? 0.15 : 0.3) * (radiusMm / 18)),
  };
  return present ? design : null;
}

/** Soft memberships (0..1) on the canonical grid and the label map. */
export interface TumorFields {
  edema: Float32Array;
  tumor: Float32Array;
  /** Necrotic core (ring) — zero elsewhere. */
  core: Float32Array;
  /** Enhancing part of the tumour. */
  enhancing: Float32Array;
  /** Smooth unit noise for texture inside the lesion. */
  texture: Float32Array;
  labels: Uint8Array;
  /** Voxel counts: oedema, non-enhancing (incl. necrosis), enhancing, necrotic. */
  counts: { edema: number; nonEnhancing: number; enhancing: number; necrotic: number };
}

export interface TissueAccess {
  /** White-matter and brain (1 − background) fractions per canonical voxel. */
  wm: Float32Array;
  brain: Float32Array;
}

export function growTumor(rng: Rng, design: TumorDesign, centre: Vec3, grid: Grid, tissue: TissueAccess): TumorFields {
  const [nx, ny, nz] = grid.dims;
  const n = nx * ny * nz;
  const a = grid.affine;
  const sp = a[0]!; // canonical grid: diagonal, isotropic
  const edema = new Float32Array(n),
    tumor = new Float32Array(n),
    core = new Float32Array(n),
    enhancing = new Float32Array(n),
    texture = new Float32Array(n);
  const labels = new Uint8Array(n);

  const R = design.radiusMm;
  const maxRatio = Math.max(...design.axisRatios);
  const reach = R * maxRatio * design.edemaScale + 2 * design.irregularityMm * design.edemaScale + 6;
  // Noise fields on a 2 mm grid over the lesion's box.
  const ns = 2;
  const nd = Math.ceil((2 * reach) / ns) + 3;
  const ndims = [nd, nd, nd] as const;
  const shapeNoise = smoothNoise(ndims, 4 / ns, () => rng.normal());
  const edemaNoise = smoothNoise(ndims, 6 / ns, () => rng.normal());
  const patchNoise = smoothNoise(ndims, 3 / ns, () => rng.normal());
  const textureNoise = smoothNoise(ndims, 2 / ns, () => rng.normal());
  const n0 = [centre[0] - ((nd - 1) / 2) * ns, centre[1] - ((nd - 1) / 2) * ns, centre[2] - ((nd - 1) / 2) * ns];

  const rot = rigidTransform(design.rotationDeg.map((d) => (d * Math.PI) / 180) as [number, number, number], [0, 0, 0]);
  const [ex, ey, ez] = design.axisRatios;
  const lo = [0, 1, 2].map((ax) => Math.max(0, Math.floor((centre[ax]! - reach - a[ax * 4 + 3]!) / sp)));
  const hi = [0, 1, 2].map((ax) => Math.min(grid.dims[ax]! - 1, Math.ceil((centre[ax]! + reach - a[ax * 4 + 3]!) / sp)));
  const ramp = (d: number) => (d >= sp / 2 ? 1 : d <= -sp / 2 ? 0 : d / sp + 0.5); // partial volume over one voxel
  const aE = design.irregularityMm * 1.5;

  for (let k = lo[2]!; k <= hi[2]!; k++)
    for (let j = lo[1]!; j <= hi[1]!; j++)
      for (let i = lo[0]!; i <= hi[0]!; i++) {
        const o = i + nx * (j + ny * k);
        const dx = a[3]! + i * sp - centre[0],
          dy = a[7]! + j * sp - centre[1],
          dz = a[11]! + k * sp - centre[2];
        // Rotate into the ellipsoid's frame (Qᵀ applied: rows of rot as columns).
        const u = rot[0]! * dx + rot[4]! * dy + rot[8]! * dz;
        const v = rot[1]! * dx + rot[5]! * dy + rot[9]! * dz;
        const w = rot[2]! * dx + rot[6]! * dy + rot[10]! * dz;
        const rho = Math.sqrt((u / ex) ** 2 + (v / ey) ** 2 + (w / ez) ** 2);
        const gx = (dx + centre[0] - n0[0]!) / ns,
          gy = (dy + centre[1] - n0[1]!) / ns,
          gz = (dz + centre[2] - n0[2]!) / ns;
        const f = rho + design.irregularityMm * sampleLinear(shapeNoise, ndims, gx, gy, gz);
        const fe = rho / design.edemaScale + aE * sampleLinear(edemaNoise, ndims, gx, gy, gz);
        const brain = tissue.brain[o]!;
        const t = ramp(R - f) * (brain > 0.5 ? 1 : brain * 2);
        const c = design.kind === 'ring' ? ramp(R - design.rimMm - f) * t : 0;
        const wmW = Math.min(1, Math.max(0, (tissue.wm[o]! - 0.1) / 0.5));
        const shell = ramp(R + design.edemaShellMm - f);
        const e = Math.max(t, Math.min(brain, Math.max(ramp(R - fe) * wmW, shell)));
        let en = 0;
        if (design.kind === 'ring') en = t - c;
        else if (design.kind === 'patchy') en = t * ramp((sampleLinear(patchNoise, ndims, gx, gy, gz) - design.patchThreshold) * 3);
        edema[o] = e;
        tumor[o] = t;
        core[o] = c;
        enhancing[o] = en;
        texture[o] = sampleLinear(textureNoise, ndims, gx, gy, gz);
        labels[o] = t >= 0.5 ? (design.kind === 'ring' ? (c >= 0.5 ? 2 : 3) : en >= 0.5 ? 3 : 2) : e >= 0.5 ? 1 : 0;
      }

  // Nesting, voxel-exact (6-neighbourhood), inside the box grown by one voxel.
  const isTumor = (l: number) => l === 2 || l === 3;
  const neighbours = (i: number, j: number, k: number) => [
    i > 0 ? labels[i - 1 + nx * (j + ny * k)]! : 0,
    i < nx - 1 ? labels[i + 1 + nx * (j + ny * k)]! : 0,
    j > 0 ? labels[i + nx * (j - 1 + ny * k)]! : 0,
    j < ny - 1 ? labels[i + nx * (j + 1 + ny * k)]! : 0,
    k > 0 ? labels[i + nx * (j + ny * (k - 1))]! : 0,
    k < nz - 1 ? labels[i + nx * (j + ny * (k + 1))]! : 0,
  ];
  const toRim: number[] = [];
  const toEdema: number[] = [];
  for (let k = Math.max(0, lo[2]! - 1); k <= Math.min(nz - 1, hi[2]! + 1); k++)
    for (let j = Math.max(0, lo[1]! - 1); j <= Math.min(ny - 1, hi[1]! + 1); j++)
      for (let i = Math.max(0, lo[0]! - 1); i <= Math.min(nx - 1, hi[0]! + 1); i++) {
        const o = i + nx * (j + ny * k);
        const l = labels[o]!;
        const nb = neighbours(i, j, k);
        if (design.kind === 'ring' && l === 2 && nb.some((m) => !isTumor(m))) toRim.push(o);
        if (l === 0 && nb.some(isTumor)) toEdema.push(o);
      }
  for (const o of toRim) labels[o] = 3;
  for (const o of toEdema) labels[o] = 1;

  const counts = { edema: 0, nonEnhancing: 0, enhancing: 0, necrotic: 0 };
  for (let k = Math.max(0, lo[2]! - 1); k <= Math.min(nz - 1, hi[2]! + 1); k++)
    for (let j = Math.max(0, lo[1]! - 1); j <= Math.min(ny - 1, hi[1]! + 1); j++)
      for (let i = Math.max(0, lo[0]! - 1); i <= Math.min(nx - 1, hi[0]! + 1); i++) {
        const l = labels[i + nx * (j + ny * k)]!;
        if (l === 1) counts.edema++;
        else if (l === 2) {
          counts.nonEnhancing++;
          if (design.kind === 'ring') counts.necrotic++;
        } else if (l === 3) counts.enhancing++;
      }
  return { edema, tumor, core, enhancing, texture, labels, counts };
}
