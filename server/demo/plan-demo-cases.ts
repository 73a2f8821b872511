import { drawCovariates, type Covariates } from '../../imaging/cohort/covariates';
import { sites, type SiteId } from '../../imaging/cohort/sites';
import { Rng } from '../../imaging/random';
import type { ExclusionReason, ParticipantEventKind } from '../../db/schema';

/** The cohort seed of the demo trial's patients: the same seed gives the same patients and images. */
export const DEMO_COHORT_SEED = 'segtrial-demo';

export interface DemoCase {
  /** Subject index in the synthetic cohort (imaging/cohort), drawn from (seed, index) alone. */
  readonly index: number;
  readonly site: SiteId;
  readonly studyId: string;
  /** The cohort's covariates for this subject (what generateSubject will draw for the manifest). */
  readonly covariates: Covariates;
  /** Answers to the demo design's checklist (adult, mri_complete, consent, prior_treatment). */
  readonly eligibility: Readonly<Record<string, boolean>>;
  /** Days before today the patient consented. */
  readonly consentDaysAgo: number;
  readonly disposition: 'randomize' | 'enroll-only' | { exclude: ExclusionReason };
  readonly event: { kind: ParticipantEventKind; reason: string } | null;
  /** Attach the subject's four sequences through the real ingest. */
  readonly study: boolean;
  /** Record the follow-up outcome from the cohort's ground truth ('reference': with the label map as reference segmentation). */
  readonly outcome: 'none' | 'clinical' | 'reference';
  /** 'changed': scanned after the site's protocol change (imaging/cohort/sites.ts), which the AI's oversight should flag. */
  readonly protocol: 'original' | 'changed';
}

interface SiteScript {
  readonly site: SiteId;
  readonly prefix: string;
  readonly cases: readonly (Omit<DemoCase, 'index' | 'site' | 'studyId' | 'covariates' | 'eligibility' | 'consentDaysAgo' | 'protocol'> & { protocol?: 'changed' })[];
}

const R = (study: boolean, outcome: DemoCase['outcome'] = 'none', event: DemoCase['event'] = null) => ({ disposition: 'randomize' as const, study, outcome, event });
/** Scanned after site-b's protocol change (FLAIR and T2 at 5 mm): the drift the oversight dashboard shows. */
const AFTER_PROTOCOL_CHANGE = { ...R(true), protocol: 'changed' as const };

/**
 * Per site, what happens to each patient. Some journeys are deliberately left open for a visitor to
 * click: randomized patients without a study (upload), studies without an outcome (follow-up),
 * enrolled patients awaiting randomization, one who is not eligible (randomization refuses), and no
 * clinician reviews at all. site-x is the external validation site the coordinator cannot see.
 * site-b's last three studies are scanned after its protocol change (thicker FLAIR and T2 slices):
 * its oversight charts cross their limits once the demo design's six baseline cases are in.
 */
const SCRIPT: readonly SiteScript[] = [
  {
    site: 'site-a',
    prefix: 'SA',
    cases: [
      R(true, 'reference'),
      R(true, 'reference'),
      R(true, 'reference'),
      R(true, 'clinical'),
      R(true, 'clinical'),
      R(true, 'none', { kind: 'withdrawn', reason: 'withdrew_consent' }),
      R(true, 'none', { kind: 'protocol_deviation', reason: 'wrong_arm_received' }),
      R(false),
      { disposition: 'enroll-only', study: false, outcome: 'none', event: null },
      { disposition: { exclude: 'declined' }, study: false, outcome: 'none', event: null },
    ],
  },
  {
    site: 'site-b',
    prefix: 'SB',
    cases: [
      R(true, 'reference'),
      R(true, 'reference'),
      R(true, 'clinical'),
      R(true),
      R(true, 'none', { kind: 'lost_to_follow_up', reason: 'moved' }),
      R(false),
      { disposition: 'enroll-only', study: false, outcome: 'none', event: null },
      // Not eligible (prior treatment): enrolled, counted as assessed; randomizing refuses with the reason.
      { disposition: 'enroll-only', study: false, outcome: 'none', event: null },
      R(true),
      AFTER_PROTOCOL_CHANGE,
      AFTER_PROTOCOL_CHANGE,
      AFTER_PROTOCOL_CHANGE,
    ],
  },
  {
    site: 'site-x',
    prefix: 'SX',
    cases: [R(true, 'reference'), R(true, 'clinical'), R(true), R(false)],
  },
];

/**
 * The demo trial's patients, in enrollment order (sites interleaved, as real recruitment is), each
 * with the synthetic cohort subject that stands for them. Pure and deterministic.
 *
 * @example planDemoCases().length // 22
 */
export function planDemoCases(): DemoCase[] {
  const perSite = SCRIPT.map((script, s) =>
    script.cases.map((c, i) => {
      // Cohort indices are disjoint per site so that each subject is drawn once: site s, i → 100·s + i.
      const index = 100 * s + i;
      const ineligible = script.site === 'site-b' && i === 7;
      return {
        ...c,
        protocol: c.protocol ?? ('original' as const),
        index,
        site: script.site,
        studyId: `${script.prefix}-${String(i + 1).padStart(4, '0')}`,
        covariates: drawCovariates(new Rng(`${DEMO_COHORT_SEED}/subject-${index}`).fork('covariates'), sites[script.site]),
        eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: ineligible },
      };
    }),
  );
  const order: Omit<DemoCase, 'consentDaysAgo'>[] = [];
  for (let round = 0; order.length < perSite.flat().length; round++) {
    for (const list of perSite) if (list[round]) order.push(list[round]!);
  }
  // Consent dates spread over the past year, oldest first, so that 6-month follow-up lies in the past.
  return order.map((c, k) => ({ ...c, consentDaysAgo: 400 - k * 8 }));
}
