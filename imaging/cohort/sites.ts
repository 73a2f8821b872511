/**
 * Site parameter sets. Two internal sites (site-a, site-b: where a model would be developed) and one
 * external site (site-x: older population, other vendor, 1.5 T, thick slices, stronger artefacts),
 * so external-validation and subgroup analyses have a real shift to find. docs/cohort.md tabulates
 * these values; change both together.
 *
 * Acquisition spacings are per sequence, in mm along the stored array axes, for the full-size
 * (1 mm) cohort; `orientation` is the stored axis code (see ../orientation.ts), e.g. 'LPS' (DICOM
 * order) or 'PIR' (axes permuted: sagittal slices stored first-axis A→P).
 */
import type { Vec3 } from '../volume';

export const sequences = ['flair', 't1', 't1gd', 't2'] as const;
export type Sequence = (typeof sequences)[number];

export type SiteId = 'site-a' | 'site-b' | 'site-x';
export const siteIds: readonly SiteId[] = ['site-a', 'site-b', 'site-x'];

export type Vendor = 'Siemens' | 'GE' | 'Philips';

export interface ScannerModel {
  vendor: Vendor;
  fieldStrengthT: 1.5 | 3;
  weight: number;
}

export interface Acquisition {
  spacing: Vec3;
  orientation: string;
}

export interface SiteParameters {
  id: SiteId;
  role: 'internal' | 'external';
  /** Age ~ Normal(mean, sd) truncated to [min, max] years. */
  age: { mean: number; sd: number; min: number; max: number };
  maleFraction: number;
  scanners: readonly ScannerModel[];
  acquisition: Readonly<Record<Sequence, Acquisition>>;
  /** Fraction of subjects with no tumour. */
  tumorFreeFraction: number;
  /** Added to the latent aggressiveness score (shifts the mix of tumour kinds; see tumor.ts). */
  aggressivenessShift: number;
  /** Rician noise SD as a fraction of white-matter T1 signal, drawn uniformly per sequence; multiplied by 1.6 at 1.5 T. */
  noise: readonly [number, number];
  /** SD of the log bias field (0.1 ≈ ±10 % shading). */
  biasLogSd: number;
  /** Scanner gain: stored value of white matter on T1, uniform in this range. */
  gain: readonly [number, number];
  /** Probability that a non-reference sequence is misaligned, and the size of the rigid motion. */
  misalignment: { probability: number; maxRotationDeg: number; maxTranslationMm: number };
  /** Images keep the head (scalp, skull, orbits, neck: Colin27's own head, deformed with the brain) as clinical scans do; false: skull-stripped, as BraTS. */
  headTissue: boolean;
  /**
   * A change of the site's protocol mid-trial (generateSubject's `protocol: 'changed'`): the
   * acquisitions it replaces. What the AI's oversight charts must notice (docs/oversight.md).
   */
  protocolChange?: { readonly summary: string; readonly acquisition: Partial<Readonly<Record<Sequence, Acquisition>>> };
}

const iso1: Acquisition = { spacing: [1, 1, 1], orientation: 'RAS' };

export const sites: Readonly<Record<SiteId, SiteParameters>> = {
  'site-a': {
    id: 'site-a',
    role: 'internal',
    age: { mean: 57, sd: 13, min: 18, max: 90 },
    maleFraction: 0.56,
    scanners: [
      { vendor: 'Siemens', fieldStrengthT: 3, weight: 0.8 },
      { vendor: 'Siemens', fieldStrengthT: 1.5, weight: 0.2 },
    ],
    acquisition: { flair: iso1, t1: iso1, t1gd: iso1, t2: iso1 },
    tumorFreeFraction: 0.1,
    aggressivenessShift: 0,
    noise: [0.02, 0.04],
    biasLogSd: 0.06,
    gain: [900, 1100],
    misalignment: { probability: 0.3, maxRotationDeg: 2, maxTranslationMm: 2 },
    headTissue: false,
    protocolChange: {
      summary: 'FLAIR and T2 moved to 2D axial acquisitions with 2 mm slices (a scanner software upgrade)',
      acquisition: { flair: { spacing: [1, 1, 2], orientation: 'RAS' }, t2: { spacing: [1, 1, 2], orientation: 'RAS' } },
    },
  },
  'site-b': {
    id: 'site-b',
    role: 'internal',
    age: { mean: 55, sd: 14, min: 18, max: 90 },
    maleFraction: 0.52,
    scanners: [
      { vendor: 'GE', fieldStrengthT: 3, weight: 0.5 },
      { vendor: 'GE', fieldStrengthT: 1.5, weight: 0.3 },
      { vendor: 'Siemens', fieldStrengthT: 3, weight: 0.2 },
    ],
    acquisition: {
      flair: { spacing: [1, 1, 3], orientation: 'LPS' },
      t1: { spacing: [1, 1, 1], orientation: 'LPS' },
      t1gd: { spacing: [1, 1, 1], orientation: 'LPS' },
      t2: { spacing: [1, 1, 3], orientation: 'LPS' },
    },
    tumorFreeFraction: 0.1,
    aggressivenessShift: -0.2,
    noise: [0.025, 0.05],
    biasLogSd: 0.1,
    gain: [1500, 2500],
    misalignment: { probability: 0.5, maxRotationDeg: 3, maxTranslationMm: 3 },
    headTissue: true,
    protocolChange: {
      summary: 'FLAIR and T2 moved to 2D axial acquisitions with 5 mm slices (a routine clinical protocol)',
      acquisition: { flair: { spacing: [1, 1, 5], orientation: 'LPS' }, t2: { spacing: [1, 1, 5], orientation: 'LPS' } },
    },
  },
  'site-x': {
    id: 'site-x',
    role: 'external',
    age: { mean: 65, sd: 11, min: 25, max: 92 },
    maleFraction: 0.6,
    scanners: [
      { vendor: 'Philips', fieldStrengthT: 1.5, weight: 0.75 },
      { vendor: 'Philips', fieldStrengthT: 3, weight: 0.25 },
    ],
    acquisition: {
      flair: { spacing: [0.9, 0.9, 5], orientation: 'LPS' },
      t1: { spacing: [0.9, 0.9, 5], orientation: 'LPS' },
      t1gd: { spacing: [1, 1, 1], orientation: 'PIR' },
      t2: { spacing: [0.9, 0.9, 5], orientation: 'LPS' },
    },
    tumorFreeFraction: 0.08,
    aggressivenessShift: 0.5,
    noise: [0.03, 0.055],
    biasLogSd: 0.18,
    gain: [250, 450],
    misalignment: { probability: 0.8, maxRotationDeg: 4, maxTranslationMm: 4 },
    headTissue: true,
  },
};

/**
 * Vendor contrast: stored intensity = gain · s^γ for a normalised signal s (white matter on T1 ≈ 1),
 * with γ per vendor and sequence — a monotone, non-linear difference between vendors that intensity
 * normalisation does not fully undo.
 */
export const vendorGamma: Readonly<Record<Vendor, Readonly<Record<Sequence, number>>>> = {
  Siemens: { flair: 1, t1: 1, t1gd: 1, t2: 1 },
  GE: { flair: 0.9, t1: 1.1, t1gd: 1.05, t2: 0.95 },
  Philips: { flair: 1.2, t1: 0.9, t1gd: 0.95, t2: 1.1 },
};
