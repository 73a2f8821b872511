/**
 * One synthetic subject: Colin27 anatomy, deformed; a tumour (or none); four sequences through the
 * site's scanner; the label map on the reference (T1gd) grid; and every parameter that made them.
 * Deterministic: everything is drawn from Rng(`${seed}/subject-${index}`) and its forks, so subject
 * i is the same whatever the cohort size. Layout and affines: see ../volume.ts; the model is
 * described in docs/cohort.md.
 */
import { gaussianBlur } from '../filters';
import { orientationCode } from '../orientation';
import { Rng } from '../random';
import { resample } from '../resample';
import type { Grid, Vec3, Volume } from '../volume';
import { applyAffine, spacingFromAffine } from '../volume';
import type { Covariates, Outcome, TumorFeatures } from './covariates';
import { drawCovariates, drawOutcome } from './covariates';
import type { DeformationParameters } from './deformation';
import { drawDeformation, templateToSubjectPoint, warpTemplate } from './deformation';
import { renderSequence, tissueMaps } from './render';
import type { Misalignment } from './scanner';
import { acquire, acquisitionGrid, biasField, drawMisalignment, identityMisalignment } from './scanner';
import type { Sequence, SiteId } from './sites';
import { sequences, sites, vendorGamma } from './sites';
import { readNifti } from '../nifti/read-nifti';
import type { Template } from './template';
import { colin27Path, loadTemplate } from './template';
import type { TumorDesign } from './tumor';
import { drawTumorDesign, growTumor } from './tumor';

export type CohortSize = 'full' | 'small' | 'tiny';

/** Canonical (truth) grid per size: RAS, isotropic. full is the template's own 1 mm grid. */
export const sizes: Readonly<Record<CohortSize, { spacingMm: number; dims: [number, number, number] | null }>> = {
  full: { spacingMm: 1, dims: null },
  small: { spacingMm: 2, dims: [96, 112, 96] },
  tiny: { spacingMm: 4, dims: [48, 56, 48] },
};

export const referenceSequence: Sequence = 't1gd';

export interface GenerateSubjectOptions {
  seed: string | number;
  index: number;
  site: SiteId;
  size?: CohortSize;
  /** 'acquisition' (default): each sequence on its site grid; 'canonical': all on the canonical grid (misalignment still applied). */
  grid?: 'acquisition' | 'canonical';
  /** Draw rigid misalignments between sequences as the site says (default true). */
  misalign?: boolean;
  /** Keep the head around the brain (scalp, skull, orbits, neck) as clinical scans do; default: the site's `headTissue`. */
  head?: boolean;
  id?: string;
  /** 'changed': acquire with the site's mid-trial protocol change (SiteParameters.protocolChange); default 'original'. */
  protocol?: 'original' | 'changed';
  /**
   * A later imaging visit of the same subject (imaging/cohort/longitudinal.ts): `adjustTumor` changes
   * the drawn tumour (its size, rim) and the scanner draws its own noise and misalignment for
   * `visit`; anatomy, covariates, tumour seed point and shape noise stay the subject's.
   */
  timepoint?: { readonly visit: string; readonly adjustTumor: (design: TumorDesign) => TumorDesign };
}

export interface SequenceRecord {
  dims: [number, number, number];
  spacing: [number, number, number];
  orientation: string;
  affine: number[];
  noiseSd: number;
  gain: number;
  gamma: number;
  biasWeight: number;
  misalignment: Misalignment;
}

export interface SubjectRecord {
  id: string;
  index: number;
  seed: string;
  site: SiteId;
  siteRole: 'internal' | 'external';
  size: CohortSize;
  covariates: Covariates;
  tumor: (TumorDesign & { centreMm: [number, number, number] }) | null;
  features: TumorFeatures;
  outcome: Outcome;
  deformation: DeformationParameters & { massEffect: number };
  sequences: Record<Sequence, SequenceRecord>;
  /** The images show the head around the brain (skull-on), not a skull-stripped brain. */
  head: boolean;
  /** Present when the subject was acquired with the site's changed protocol: its summary. */
  protocolChange?: string;
  label: { dims: [number, number, number]; affine: number[]; orientation: string; grid: Sequence | 'canonical' };
}

export interface Subject {
  record: SubjectRecord;
  images: Record<Sequence, Volume<Float32Array>>;
  label: Volume<Uint8Array>;
  /** Canonical (truth) grid and labels on it. */
  canonical: Grid;
  canonicalLabels: Uint8Array;
  /** Healthy tissue by majority on the canonical grid: 0 background, 1 CSF, 2 GM, 3 WM (under the lesion too). */
  canonicalTissue: Uint8Array;
}

const templateAtSpacing = new Map<number, Promise<Volume<Float32Array>>>();

/** The template, pre-smoothed for sampling at a coarser spacing (anti-aliasing). */
function templateFor(t: Template, spacingMm: number): Promise<Volume<Float32Array>> {
  let v = templateAtSpacing.get(spacingMm);
  if (!v) {
    const sigma = spacingMm > 1 ? Math.sqrt(spacingMm * spacingMm - 1) / 2.355 : 0;
    v = Promise.resolve(sigma > 0 ? { ...t.volume, data: gaussianBlur(t.volume.data, t.volume.dims, [sigma, sigma, sigma]) } : t.volume);
    templateAtSpacing.set(spacingMm, v);
  }
  return v;
}

export function canonicalGrid(t: Template, size: CohortSize): Grid {
  const s = sizes[size];
  if (!s.dims) return { dims: t.volume.dims, affine: t.volume.affine };
  const [lo, hi] = t.brainBox;
  const c = [0, 1, 2].map((a) => Math.round((lo[a]! + hi[a]!) / 2));
  const sp = s.spacingMm;
  const d = s.dims;
  return { dims: d, affine: [sp, 0, 0, c[0]! - ((d[0] - 1) / 2) * sp, 0, sp, 0, c[1]! - ((d[1] - 1) / 2) * sp, 0, 0, sp, c[2]! - ((d[2] - 1) / 2) * sp, 0, 0, 0, 1] };
}

export async function generateSubject(options: GenerateSubjectOptions): Promise<Subject> {
  const size = options.size ?? 'full';
  const site = sites[options.site];
  if (!site) throw new RangeError(`unknown site '${options.site}': expected one of ${Object.keys(sites).join(', ')}`);
  const seed = `${String(options.seed)}/subject-${options.index}`;
  const rng = new Rng(seed);
  const template = await loadTemplate();
  const tpl = await templateFor(template, sizes[size].spacingMm);
  const canonical = canonicalGrid(template, size);
  const cs = canonical.affine[0]!;

  if (options.protocol === 'changed' && !site.protocolChange) throw new RangeError(`site '${site.id}' has no protocol change to acquire with`);
  const acquisition = options.protocol === 'changed' ? { ...site.acquisition, ...site.protocolChange!.acquisition } : site.acquisition;
  const covariates = drawCovariates(rng.fork('covariates'), site);
  const [lo, hi] = template.brainBox;
  const brainCentre: Vec3 = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  const extent: Vec3 = [0, 1, 2].map((a) => canonical.dims[a]! * cs) as unknown as Vec3;
  const def = drawDeformation(rng.fork('deformation'), brainCentre, extent);

  const tumorRng = rng.fork('tumor');
  const design = drawTumorDesign(tumorRng, covariates.age, site);
  let centre: [number, number, number] | null = null;
  if (design) {
    const seedPoint = chooseSeed(tumorRng, template, design);
    design.radiusMm = seedPoint.radiusMm;
    if (options.timepoint) Object.assign(design, options.timepoint.adjustTumor({ ...design }));
    centre = templateToSubjectPoint(def, seedPoint.point);
    def.mass = { centre, k: design.massEffect, lengthMm: design.radiusMm * 1.2 };
  }

  const warped = warpTemplate(def, tpl, canonical);
  const withHead = options.head ?? site.headTissue;
  const warpedHead = withHead ? warpTemplate(def, await headFor(sizes[size].spacingMm), canonical) : null;
  const tissue = tissueMaps(warped, template.means);
  const lesion = design && centre ? growTumor(tumorRng.fork('grow'), design, centre, canonical, tissue) : null;
  const voxelMl = (cs * cs * cs) / 1000;
  const features: TumorFeatures = lesion
    ? {
        edemaMl: lesion.counts.edema * voxelMl,
        nonEnhancingMl: lesion.counts.nonEnhancing * voxelMl,
        enhancingMl: lesion.counts.enhancing * voxelMl,
        necroticMl: lesion.counts.necrotic * voxelMl,
      }
    : { edemaMl: 0, nonEnhancingMl: 0, enhancingMl: 0, necroticMl: 0 };
  const outcome = drawOutcome(rng.fork('outcome'), covariates.age, lesion ? features : null);

  // Scanner.
  const scanRng = rng.fork(options.timepoint ? `scanner/${options.timepoint.visit}` : 'scanner');
  const logBias = biasField(scanRng.fork('bias'), canonical, site.biasLogSd);
  const gain = scanRng.uniform(site.gain[0], site.gain[1]);
  const fieldNoise = covariates.fieldStrengthT === 1.5 ? 1.6 : 1;
  const spacingScale = options.grid === 'canonical' ? 1 : cs;
  const images = {} as Record<Sequence, Volume<Float32Array>>;
  const records = {} as Record<Sequence, SequenceRecord>;
  for (const seq of sequences) {
    const r = scanRng.fork(seq);
    const grid = options.grid === 'canonical' ? canonical : acquisitionGrid(canonical, acquisition[seq], spacingScale);
    const misaligned = r.bernoulli(site.misalignment.probability) && seq !== referenceSequence && options.misalign !== false;
    const misalignment = misaligned ? drawMisalignment(r, site.misalignment.maxRotationDeg, site.misalignment.maxTranslationMm, brainCentre) : identityMisalignment(brainCentre);
    const settings = {
      grid,
      misalignment,
      logBias,
      biasWeight: r.uniform(0.7, 1.3),
      noiseSd: r.uniform(site.noise[0], site.noise[1]) * fieldNoise * 0.9,
      gain: gain * r.uniform(0.8, 1.25),
      gamma: vendorGamma[covariates.vendor][seq],
    };
    const rendered = renderSequence(seq, warped, template.means, lesion);
    if (warpedHead) {
      // Head tissue on the brain's signal scale (T1 white matter ≈ 1): fat bright on T1 and FLAIR, less on T2.
      const k = headContrast[seq] / template.means[2];
      for (let i = 0; i < rendered.length; i++) rendered[i]! += k * warpedHead[i]!;
    }
    images[seq] = acquire(r.fork('noise'), rendered, canonical, settings);
    records[seq] = {
      dims: [...grid.dims] as [number, number, number],
      spacing: spacingFromAffine(grid.affine),
      orientation: orientationCode(grid.affine),
      affine: [...grid.affine],
      noiseSd: settings.noiseSd,
      gain: settings.gain,
      gamma: settings.gamma,
      biasWeight: settings.biasWeight,
      misalignment,
    };
  }

  const canonicalLabels = lesion ? lesion.labels : new Uint8Array(warped.length);
  const refGrid = options.grid === 'canonical' ? canonical : { dims: images[referenceSequence].dims, affine: images[referenceSequence].affine };
  const label = resample({ dims: canonical.dims, spacing: [cs, cs, cs], affine: canonical.affine, data: canonicalLabels }, refGrid, { interpolation: 'nearest' });

  const id = options.id ?? `sub-${String(options.index + 1).padStart(4, '0')}`;
  const record: SubjectRecord = {
    id,
    index: options.index,
    seed,
    site: site.id,
    siteRole: site.role,
    size,
    covariates,
    tumor: design && centre ? { ...design, centreMm: centre } : null,
    features,
    outcome,
    deformation: { ...def.parameters, massEffect: def.mass?.k ?? 0 },
    sequences: records,
    head: withHead,
    ...(options.protocol === 'changed' ? { protocolChange: site.protocolChange!.summary } : {}),
    label: {
      dims: [...refGrid.dims] as [number, number, number],
      affine: [...refGrid.affine],
      orientation: orientationCode(refGrid.affine),
      grid: options.grid === 'canonical' ? 'canonical' : referenceSequence,
    },
  };
  const canonicalTissue = new Uint8Array(warped.length);
  {
    // Majority class under the partial-volume rule of tissueFractions: split at the midpoints.
    const [c, g, w] = template.means;
    for (let i = 0; i < warped.length; i++) {
      const t = warped[i]!;
      canonicalTissue[i] = t < c / 2 ? 0 : t < (c + g) / 2 ? 1 : t < (g + w) / 2 ? 2 : 3;
    }
  }
  return { record, images, label, canonical, canonicalLabels, canonicalTissue };
}

/** Colin27 with its head (Debian mricron-data), on the same grid and scale as the brain-only ch2bet. */
export const colin27HeadPath = '/usr/share/mricron/templates/ch2.nii.gz';
/** Signal of head tissue per sequence, relative to its T1 intensity. */
const headContrast: Readonly<Record<Sequence, number>> = { flair: 0.7, t1: 0.9, t1gd: 0.95, t2: 0.55 };
const headAtSpacing = new Map<number, Promise<Volume<Float32Array>>>();

/** The head without the brain (ch2 where ch2bet is 0), pre-smoothed for sampling at `spacingMm` like the template. */
function headFor(spacingMm: number): Promise<Volume<Float32Array>> {
  let v = headAtSpacing.get(spacingMm);
  if (!v) {
    v = (async () => {
      const [head, brain] = await Promise.all([readNifti(colin27HeadPath), readNifti(colin27Path)]);
      const data = Float32Array.from(head.data, (x, i) => (brain.data[i]! > 0 ? 0 : x));
      const sigma = spacingMm > 1 ? Math.sqrt(spacingMm * spacingMm - 1) / 2.355 : 0;
      return { ...head, data: sigma > 0 ? gaussianBlur(data, head.dims, [sigma, sigma, sigma]) : data };
    })();
    headAtSpacing.set(spacingMm, v);
  }
  return v;
}

/**
 * A tumour seed in template white matter, deep enough that the tumour and a margin stay inside
 * the brain (checked along 26 directions in the template); the radius shrinks if none is found.
 */
function chooseSeed(rng: Rng, t: Template, design: TumorDesign): { point: [number, number, number]; radiusMm: number } {
  const v = t.volume;
  const inv = [1 / v.affine[0]!, 1 / v.affine[5]!, 1 / v.affine[10]!];
  const at = (p: Vec3) => {
    const x = Math.round((p[0] - v.affine[3]!) * inv[0]!),
      y = Math.round((p[1] - v.affine[7]!) * inv[1]!),
      z = Math.round((p[2] - v.affine[11]!) * inv[2]!);
    if (x < 0 || y < 0 || z < 0 || x >= v.dims[0] || y >= v.dims[1] || z >= v.dims[2]) return 0;
    return v.data[x + v.dims[0] * (y + v.dims[1] * z)]!;
  };
  const dirs: Vec3[] = [];
  for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let c = -1; c <= 1; c++) if (a || b || c) dirs.push([a, b, c].map((q) => q / Math.hypot(a, b, c)) as unknown as Vec3);
  const [lo, hi] = t.brainBox;
  let radius = design.radiusMm;
  for (let attempt = 0; attempt < 6; attempt++) {
    const depth = radius * Math.max(...design.axisRatios) + design.irregularityMm + 6;
    for (let tries = 0; tries < 800; tries++) {
      const p: [number, number, number] = [rng.uniform(lo[0], hi[0]), rng.uniform(lo[1], hi[1]), rng.uniform(lo[2], hi[2])];
      if (at(p) < t.means[2] * 0.95) continue;
      if (dirs.every((d) => at(applyAffine([1, 0, 0, p[0], 0, 1, 0, p[1], 0, 0, 1, p[2], 0, 0, 0, 1], [d[0] * depth, d[1] * depth, d[2] * depth])) > 0)) return { point: p, radiusMm: radius };
    }
    radius *= 0.85;
  }
  throw new Error('no white-matter seed found for the tumour (template not a brain?)');
}
