/**
 * RANO 2.0 thresholds (Wen PY et al., "RANO 2.0: Update to the Response Assessment in
 * Neuro-Oncology Criteria for High- and Low-Grade Gliomas in Adults", J Clin Oncol 2023;41:5187–99).
 * Kept in one place so a protocol that tightens them edits one file.
 */
export const RANO = {
  /** A measurable enhancing lesion: both perpendicular diameters at least this long (mm)… */
  measurableMinDiameterMm: 10,
  /** …and visible on at least this many axial slices. */
  measurableMinSlices: 2,
  /** At most this many target lesions, the largest measurable ones. */
  maxTargetLesions: 3,
  /** Bidimensional (sum of products of perpendicular diameters): PR at or below −50 % from baseline. */
  productPartialResponsePct: -50,
  /** Bidimensional: PD at or above +25 % from the nadir. */
  productProgressionPct: 25,
  /** Volumetric option: PR at or below −65 % from baseline (the volume equivalent of −50 % in product). */
  volumePartialResponsePct: -65,
  /** Volumetric option: PD at or above +40 % from the nadir (the volume equivalent of +25 %). */
  volumeProgressionPct: 40,
  /**
   * Lesion tracking across visits (not a RANO number, our choice): a follow-up lesion is the same
   * lesion as a prior one when their centroids lie within half the larger longest diameter plus
   * this margin (mm). Follow-ups are registered to the baseline, so centroids are comparable.
   */
  trackingMarginMm: 5,
} as const;

export const RANO_CATEGORIES = ['CR', 'PR', 'SD', 'PD'] as const;
export type RanoCategory = (typeof RANO_CATEGORIES)[number];
