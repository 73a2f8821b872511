/**
 * Longitudinal series: the same synthetic subject scanned at a baseline and at follow-up visits,
 * its tumour changing under one of four documented courses (issue 18). Times are days after the
 * baseline scan (RANO 2.0's post-radiotherapy baseline); the tumour's mean radius r(t) follows
 *
 *  - 'growth' (progression): r(t) = r0 · 2^(t / (3·Td)) — exponential volume growth with volume
 *    doubling time Td ~ U(50, 120) days (radius doubles in 3·Td, as volume ∝ r³);
 *  - 'shrinkage' (response): r(t) = r0 · (f + (1 − f)·e^(−t/τ)) with plateau f ~ U(0.45, 0.7) and
 *    τ ~ U(40, 90) days; the enhancing rim thins in proportion;
 *  - 'stability': r(t) = r0 · (1 + ε_t), ε_t ~ Normal(0, 0.03) drawn per visit;
 *  - 'pseudo-progression' (treatment effect after radiotherapy): a transient swelling with a
 *    thicker rim, r(t) = r0 · (0.95 + A·e^(−((t − tp)/w)²)), A ~ U(0.25, 0.45), tp ~ U(40, 70) days,
 *    w = 30 days; by 16 weeks it is back below baseline — the case RANO 2.0's 12-week
 *    confirmation rule exists for.
 *
 * Courses are drawn with probabilities 0.35 / 0.25 / 0.25 / 0.15 from the subject's own seed, so a
 * subject's series is reproducible. The rest of the subject (anatomy, covariates, tumour seed and
 * shape noise) is unchanged across visits; each visit gets its own scanner noise and misalignment
 * (GenerateSubjectOptions.timepoint). Radii are clamped to [3 mm, 45 mm].
 */
import { Rng } from '../random';
import { generateSubject, type GenerateSubjectOptions, type Subject } from './generate-subject';
import type { TumorDesign } from './tumor';

export const TUMOR_COURSES = ['growth', 'shrinkage', 'stability', 'pseudo-progression'] as const;
export type TumorCourse = (typeof TUMOR_COURSES)[number];

export interface CourseParameters {
  readonly course: TumorCourse;
  readonly doublingTimeDays?: number;
  readonly plateau?: number;
  readonly tauDays?: number;
  readonly amplitude?: number;
  readonly peakDays?: number;
  readonly widthDays?: number;
}

/** The course of a subject's tumour, drawn from its own seed (reproducible). */
export function drawTumorCourse(seed: string | number, index: number): CourseParameters {
  const rng = new Rng(`${String(seed)}/subject-${index}/course`);
  const u = rng.next();
  if (u < 0.35) return { course: 'growth', doublingTimeDays: rng.uniform(50, 120) };
  if (u < 0.6) return { course: 'shrinkage', plateau: rng.uniform(0.45, 0.7), tauDays: rng.uniform(40, 90) };
  if (u < 0.85) return { course: 'stability' };
  return { course: 'pseudo-progression', amplitude: rng.uniform(0.25, 0.45), peakDays: rng.uniform(40, 70), widthDays: 30 };
}

/**
 * r(t)/r0 and the rim's scale at `days` after baseline (see the module comment); `visitRng` draws
 * the stable course's per-visit wobble.
 *
 * @example tumorScaleAt({ course: 'growth', doublingTimeDays: 60 }, 180) // { radius: 2, rim: 1 }
 */
export function tumorScaleAt(p: CourseParameters, days: number, visitRng?: Rng): { radius: number; rim: number } {
  if (days < 0) throw new RangeError(`days after baseline must be ≥ 0, got ${days}`);
  switch (p.course) {
    case 'growth':
      return { radius: 2 ** (days / (3 * p.doublingTimeDays!)), rim: 1 };
    case 'shrinkage': {
      const r = p.plateau! + (1 - p.plateau!) * Math.exp(-days / p.tauDays!);
      return { radius: r, rim: r };
    }
    case 'stability':
      return { radius: days === 0 ? 1 : 1 + 0.03 * (visitRng ?? new Rng('stable')).normal(), rim: 1 };
    case 'pseudo-progression': {
      if (days === 0) return { radius: 1, rim: 1 };
      const bump = p.amplitude! * Math.exp(-(((days - p.peakDays!) / p.widthDays!) ** 2));
      return { radius: 0.95 + bump, rim: 1 + 2 * bump };
    }
  }
}

export interface LongitudinalVisit {
  readonly visit: string;
  readonly days: number;
  readonly radiusScale: number;
  readonly subject: Subject;
}

/**
 * A subject at each of `visits` (days after baseline; 0 is the baseline itself, generated exactly
 * as generateSubject would without a timepoint). Returns the course and one Subject per visit.
 */
export async function generateLongitudinalSeries(
  options: GenerateSubjectOptions & { visits: readonly { visit: string; days: number }[]; course?: CourseParameters },
): Promise<{ course: CourseParameters; visits: LongitudinalVisit[] }> {
  const course = options.course ?? drawTumorCourse(options.seed, options.index);
  const out: LongitudinalVisit[] = [];
  for (const v of options.visits) {
    const scale = tumorScaleAt(course, v.days, new Rng(`${String(options.seed)}/subject-${options.index}/visit-${v.visit}`));
    const adjustTumor = (d: TumorDesign): TumorDesign => ({ ...d, radiusMm: Math.min(45, Math.max(3, d.radiusMm * scale.radius)), rimMm: d.rimMm * scale.rim });
    const subject = await generateSubject({ ...options, ...(v.days === 0 ? {} : { timepoint: { visit: v.visit, adjustTumor } }) });
    out.push({ visit: v.visit, days: v.days, radiusScale: v.days === 0 ? 1 : scale.radius, subject });
  }
  return { course, visits: out };
}
