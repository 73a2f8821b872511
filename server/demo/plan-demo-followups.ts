import type { CourseParameters } from '../../imaging/cohort/longitudinal';
import { sites } from '../../imaging/cohort/sites';
import { drawTumorDesign } from '../../imaging/cohort/tumor';
import { Rng } from '../../imaging/random';
import { DEMO_COHORT_SEED, planDemoCases, type DemoCase } from './plan-demo-cases';

/**
 * Tumour courses given to the demo's follow-ups (the design's first follow-up visit, week 8 in the
 * default schedule), per arm, in order of the arm's candidates: on the assisted arm a growing tumour
 * (volume doubling 45 days: +78 % in the product of diameters at week 8, a suggested PD) and a shrinking one (plateau 0.5, τ 30 days: about −67 %, a suggested
 * PR); on the control arm a growing one, which its reader calls without AI measurements.
 */
export const DEMO_FOLLOWUP_COURSES: Readonly<Record<'ai_assisted' | 'control', readonly CourseParameters[]>> = {
  ai_assisted: [
    { course: 'growth', doublingTimeDays: 45 },
    { course: 'shrinkage', plateau: 0.5, tauDays: 30 },
  ],
  control: [{ course: 'growth', doublingTimeDays: 45 }],
};

/**
 * The demo patients who can have a follow-up scan: at site-a (the demo clinician's site), with a
 * baseline study, no withdrawal or other event, and an enhancing tumour (ring or patchy: RANO
 * measures enhancing disease). The tumour's kind is drawn from the subject's own seed exactly as
 * generateSubject draws it, so no image is generated to decide. Arms are known only after
 * randomization, so the seed takes the first candidates of each arm.
 *
 * @example planDemoFollowups().map((c) => c.studyId) // e.g. ['SA-0001', 'SA-0002', …]
 */
export function planDemoFollowups(plan: readonly DemoCase[] = planDemoCases()): DemoCase[] {
  return plan.filter((c) => {
    if (c.site !== 'site-a' || !c.study || c.event || c.disposition !== 'randomize') return false;
    const design = drawTumorDesign(new Rng(`${DEMO_COHORT_SEED}/subject-${c.index}`).fork('tumor'), c.covariates.age, sites[c.site]);
    return design !== null && design.kind !== 'non-enhancing';
  });
}
