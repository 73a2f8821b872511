import { and, eq, like } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { participants, sites } from '../../db/schema';
import { parseCsv } from '../../analysis/parse-csv';
import { Rng } from '../../imaging/random';
import { enrollParticipant } from '../domain/enrollment/enroll-participant';
import { levelForAge } from '../domain/enrollment/level-for-age';
import { randomizeParticipant } from '../domain/enrollment/randomize-participant';
import { recordFollowUpOutcome } from '../domain/outcomes/record-follow-up-outcome';
import { recordFollowUpVisit, type FollowUpVisitInput } from '../domain/outcomes/record-follow-up-visit';
import { DEMO_ANALYTICS_COHORT_CSV } from './demo-analytics-cohort';
import { loadTrial, requireDesign } from '../domain/trials/load-trial';
import { env } from '../env';

/** Study-ID prefix of the simulated analytics participants: they are never mistaken for imaged cases. */
export const SIMULATED_PREFIX = 'SIM-';
export const SIMULATED_NOTE =
  'SIMULATED demo follow-up (no real patient): histopathology from the synthetic cohort ground truth, progression-free status from the stated demo outcome model (docs/analytics.md).';

/**
 * The demo's outcome model for progression-free survival at 6 months, an assumption of the demo
 * and not a finding: P(progression-free) = logistic(β0 + β_hg·high grade + β_age·(age − 60)/10
 * + β_ai·[assisted arm]·high grade), i.e. assisted review is assumed to help high-grade patients
 * (earlier, better-targeted treatment). Statisticians should find an arm effect of about this size.
 */
export const DEMO_PFS_MODEL = { intercept: 2.0, highGrade: -2.3, agePerDecade: -0.25, assistedInHighGrade: 0.7 } as const;

/**
 * The demo's time-to-event model, an assumption of the demo and not a finding: exponential times in
 * months from randomization. Progression: median 8 months for high grade, 30 for low grade, hazard
 * ratio 0.7 for the assisted arm in high grade, ×1.2 per decade of age over 60; death: median 18
 * months (high grade) and 90 (low grade), same arm effect, and at most 12 months after a
 * progression; basis RANO for 70 % of progressions, clinical otherwise. Follow-up ends at a uniform
 * 6–30 months (administrative censoring); dates count from the randomization day.
 */
export const DEMO_TTE_MODEL = {
  pfsMedianHighGrade: 8,
  pfsMedianLowGrade: 30,
  osMedianHighGrade: 18,
  osMedianLowGrade: 90,
  assistedHazardRatio: 0.7,
  hazardPerDecade: 1.2,
  ranoShare: 0.7,
  followUpMonths: [6, 30],
} as const;

const DAY_MS = 86_400_000;
const addDays = (isoDay: string, days: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Simulated follow-up contacts of one participant from DEMO_TTE_MODEL (deterministic per subject). */
function simulatedContacts(subject: string, randomizedOn: string, highGrade: boolean, assisted: boolean, age: number): Omit<FollowUpVisitInput, 'note' | 'supersedesId'>[] {
  const m = DEMO_TTE_MODEL;
  const rng = new Rng(`demo-analytics/tte/${subject}`);
  const scale = (assisted && highGrade ? m.assistedHazardRatio : 1) * m.hazardPerDecade ** ((age - 60) / 10);
  const draw = (median: number) => (-Math.log(1 - rng.next()) * median) / Math.LN2 / scale;
  const progression = draw(highGrade ? m.pfsMedianHighGrade : m.pfsMedianLowGrade);
  let death = draw(highGrade ? m.osMedianHighGrade : m.osMedianLowGrade);
  if (death > progression) death = Math.min(death, progression + 12 * rng.next());
  const end = m.followUpMonths[0] + (m.followUpMonths[1] - m.followUpMonths[0]) * rng.next();
  const basis = rng.next() < m.ranoShare ? ('rano' as const) : ('clinical' as const);
  const day = (months: number) => addDays(randomizedOn, Math.max(1, Math.round(months * 30.4375)));
  const contacts: Omit<FollowUpVisitInput, 'note' | 'supersedesId'>[] = [];
  const progressed = progression < Math.min(death, end);
  if (progressed) contacts.push({ visitDate: day(progression), vitalStatus: 'alive' as const, deathDate: null, progression: true, progressionDate: day(progression), progressionBasis: basis });
  const died = death <= end;
  const last = day(Math.min(death, end));
  if (!progressed || last > day(progression)) {
    contacts.push({ visitDate: last, vitalStatus: died ? ('dead' as const) : ('alive' as const), deathDate: died ? last : null, progression: false, progressionDate: null, progressionBasis: null });
  } else if (died) {
    // Progression and death on the same day: one contact says both.
    contacts[0] = { ...contacts[0]!, vitalStatus: 'dead', deathDate: last };
  }
  return contacts;
}

const SYSTEM = { actor: { userId: null, role: null }, request: { via: 'system' as const } };
const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const isoDaysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * Simulated participants for the statistician pages of the demo, clearly labelled (study IDs SIM-…,
 * an outcome note saying SIMULATED): 160 subjects of the synthetic cohort (imaging/cohort, seed
 * 'demo-analytics', size tiny; `demo-analytics-cohort.ts` holds the manifest's subject table,
 * regenerated by `segtrial cohort generate --out DIR --n 160 --seed demo-analytics --size tiny`)
 * are enrolled with the cohort's covariates, randomized through the real engine, and given a
 * follow-up outcome: histopathology high grade exactly as the cohort drew it (WHO grade 4 when the
 * core enhances and is necrotic, 3 otherwise; 2 for low grade), and progression-free at 6 months
 * drawn from DEMO_PFS_MODEL, plus follow-up contacts with progression and death drawn from
 * DEMO_TTE_MODEL (dated forward from today's randomization: the demo's clock). They have no MRI studies, hence no model output and no reader
 * decisions: those analyses use the imaged demo cases. Idempotent (skips when SIM- participants exist).
 * Follows SEGTRIAL_DEMO_CASES: nothing in 'none' mode (the default under NODE_ENV=test). Returns the
 * background work's promise (resolving to the number created), which the app does not await.
 */
export function seedDemoAnalytics({ db, trialId, mode: requested, limit }: { db: Database; trialId: string; mode?: 'full' | 'enroll' | 'none'; limit?: number }): { background: Promise<number> } {
  const config = env();
  const mode = requested ?? config.SEGTRIAL_DEMO_CASES ?? (config.NODE_ENV === 'test' ? 'none' : 'full');
  if (mode === 'none') return { background: Promise.resolve(0) };
  // In the background, like the demo's studies: about 0.1 s per participant on the embedded database,
  // and the app should answer at once on first start.
  const background = seedSimulatedParticipants({ db, trialId, limit }).catch((error: unknown) => {
    console.error('[demo] simulated analytics participants stopped:', error);
    return 0;
  });
  return { background };
}

async function seedSimulatedParticipants({ db, trialId, limit }: { db: Database; trialId: string; limit?: number }): Promise<number> {
  const [existing] = await db
    .select({ id: participants.id })
    .from(participants)
    .where(and(eq(participants.trialId, trialId), like(participants.studyId, `${SIMULATED_PREFIX}%`)))
    .limit(1);
  if (existing) return 0;
  const started = performance.now();
  const design = requireDesign(await loadTrial(db, trialId));
  const ageFactor = design.randomization.factors.find((f) => f.name === 'age_band');
  const siteRows = await db.select({ id: sites.id, code: sites.code }).from(sites).where(eq(sites.trialId, trialId));
  const siteId = new Map(siteRows.map((s) => [s.code, s.id]));
  const access = { trialId, siteIds: null };
  const { header, rows: records } = parseCsv(DEMO_ANALYTICS_COHORT_CSV);
  const col = (name: string) => {
    const k = header.indexOf(name);
    if (k < 0) throw new Error(`demo analytics cohort has no column ${name}`);
    return k;
  };
  const c = {
    id: col('id'),
    site: col('site'),
    age: col('age'),
    sex: col('sex'),
    vendor: col('vendor'),
    field: col('field_strength_t'),
    tumor: col('tumor_present'),
    ef: col('enhancing_fraction'),
    nf: col('necrotic_fraction'),
    hg: col('high_grade'),
  };
  let created = 0;
  for (const [i, r] of records.slice(0, limit ?? records.length).entries()) {
    const site = siteId.get(r[c.site] ?? '');
    if (!site) continue;
    const age = Number(r[c.age]);
    const level = ageFactor ? levelForAge(ageFactor.levels, age) : null;
    const consentDaysAgo = 400 - Math.floor(i * 1.5);
    const enrolled = await enrollParticipant({
      db,
      access,
      input: {
        trialId,
        siteId: site,
        studyId: `${SIMULATED_PREFIX}${String(i + 1).padStart(4, '0')}`,
        baseline: { age, sex: r[c.sex] === 'M' ? 'M' : 'F', scannerVendor: r[c.vendor] ?? 'unknown', fieldStrength: r[c.field] === '3' ? '3T' : '1.5T' },
        levels: ageFactor && level ? { [ageFactor.name]: level } : {},
        eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: false },
        consentDate: isoDaysAgo(consentDaysAgo),
      },
      ...SYSTEM,
    });
    const { allocation } = await randomizeParticipant({ db, access, participantId: enrolled.id, ...SYSTEM });
    const highGrade = r[c.hg] === 'true';
    const tumour = r[c.tumor] === 'true';
    const whoGrade = !tumour ? null : highGrade ? (Number(r[c.ef]) > 0.5 && Number(r[c.nf]) > 0 ? 4 : 3) : 2;
    const m = DEMO_PFS_MODEL;
    const assisted = allocation.arm === design.randomization.arms[0]?.key;
    const p = logistic(m.intercept + m.highGrade * (highGrade ? 1 : 0) + (m.agePerDecade * (age - 60)) / 10 + (assisted && highGrade ? m.assistedInHighGrade : 0));
    const progressionFree6m = new Rng(`demo-analytics/pfs/${r[c.id]}`).next() < p;
    await recordFollowUpOutcome({
      db,
      access,
      participantId: enrolled.id,
      input: { referenceHighGrade: highGrade, whoGrade, progressionFree6m, reference: null, assessedOn: isoDaysAgo(Math.max(1, consentDaysAgo - 183)), note: SIMULATED_NOTE, supersedesId: null },
      ...SYSTEM,
    });
    const randomizedOn = allocation.allocatedAt.toISOString().slice(0, 10);
    for (const contact of simulatedContacts(r[c.id] ?? String(i), randomizedOn, highGrade, assisted, age)) {
      await recordFollowUpVisit({ db, access, participantId: enrolled.id, input: { ...contact, note: SIMULATED_NOTE, supersedesId: null }, ...SYSTEM });
    }
    created++;
  }
  console.log(`[demo] ${created} simulated analytics participants (${SIMULATED_PREFIX}…) with follow-up outcomes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return created;
}
