/**
 * Sequence rendering on the canonical grid (x-fastest layout, see ../volume.ts): each voxel's
 * normalised signal (white matter on T1 ≈ 0.9) is the partial-volume mix of tissue intensities,
 * healthy fractions from the warped template (template.ts), lesion memberships from tumor.ts:
 *   s = (1 − e)·Σ f_c I_c + (e − t)·I_oedema + (t − c − n)·I_solid + n·I_enhancing + c·I_necrosis
 * with e ≥ t ≥ c + n (oedema envelope ⊇ tumour ⊇ enhancing ∪ necrosis), times a ±8 % smooth texture
 * inside the lesion. Relative contrasts follow clinical appearance (see contrasts below).
 */
import type { Sequence } from './sites';
import { tissueFractions } from './template';
import type { TumorFields } from './tumor';

export type Tissue = 'csf' | 'gm' | 'wm' | 'edema' | 'solid' | 'necrosis' | 'enhancing';

/**
 * Normalised signal per tissue and sequence. FLAIR: CSF dark, oedema brightest; T1: tumour and
 * oedema dark; T1gd: enhancing tumour brightest, necrosis dark; T2: CSF and oedema bright.
 */
export const contrasts: Readonly<Record<Sequence, Readonly<Record<Tissue, number>>>> = {
  flair: { csf: 0.12, gm: 0.62, wm: 0.47, edema: 1.0, solid: 0.85, necrosis: 0.45, enhancing: 0.78 },
  t1: { csf: 0.25, gm: 0.6, wm: 0.9, edema: 0.5, solid: 0.46, necrosis: 0.28, enhancing: 0.52 },
  t1gd: { csf: 0.25, gm: 0.6, wm: 0.9, edema: 0.5, solid: 0.5, necrosis: 0.25, enhancing: 1.35 },
  t2: { csf: 1.0, gm: 0.58, wm: 0.4, edema: 0.85, solid: 0.78, necrosis: 0.95, enhancing: 0.68 },
};

export function renderSequence(sequence: Sequence, warpedT1: Float32Array, means: readonly [number, number, number], lesion: TumorFields | null): Float32Array {
  const I = contrasts[sequence];
  const n = warpedT1.length;
  const out = new Float32Array(n);
  // Tabulate the healthy mix against the (8-bit-derived) template intensity: 4096 steps is exact enough.
  const tMax = means[2] * 1.6;
  const steps = 4096;
  const lut = new Float32Array(steps + 1);
  for (let s = 0; s <= steps; s++) {
    const [, c, g, w] = tissueFractions((s / steps) * tMax, means);
    lut[s] = c * I.csf + g * I.gm + w * I.wm;
  }
  for (let i = 0; i < n; i++) {
    const t = warpedT1[i]!;
    const x = t <= 0 ? 0 : t >= tMax ? steps : (t / tMax) * steps;
    const x0 = Math.floor(x);
    out[i] = x0 >= steps ? lut[steps]! : lut[x0]! + (x - x0) * (lut[x0 + 1]! - lut[x0]!);
  }
  if (!lesion) return out;
  for (let i = 0; i < n; i++) {
    const e = lesion.edema[i]!;
    if (e <= 0) continue;
    const t = lesion.tumor[i]!,
      c = lesion.core[i]!,
      en = lesion.enhancing[i]!;
    const solid = Math.max(0, t - c - en);
    const mixed = (e - t) * I.edema + solid * I.solid + en * I.enhancing + c * I.necrosis;
    const texture = 1 + 0.08 * lesion.texture[i]! * Math.min(1, e * 2);
    out[i] = ((1 - e) * out[i]! + mixed) * texture;
  }
  return out;
}

/** Healthy tissue fractions per voxel: white matter and brain (1 − background). */
export function tissueMaps(warpedT1: Float32Array, means: readonly [number, number, number]): { wm: Float32Array; brain: Float32Array } {
  const wm = new Float32Array(warpedT1.length);
  const brain = new Float32Array(warpedT1.length);
  const [c, g, w] = means;
  for (let i = 0; i < warpedT1.length; i++) {
    // Inlined tissueFractions (this runs on millions of voxels).
    const t = warpedT1[i]!;
    brain[i] = t <= 0 ? 0 : t < c ? t / c : 1;
    wm[i] = t <= g ? 0 : t >= w ? 1 : (t - g) / (w - g);
  }
  return { wm, brain };
}
