import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { participants, sites } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { enrollParticipant } from '../domain/enrollment/enroll-participant';
import { levelForAge } from '../domain/enrollment/level-for-age';
import { randomizeParticipant } from '../domain/enrollment/randomize-participant';
import { excludeParticipant, recordParticipantEvent } from '../domain/enrollment/record-participant-event';
import { loadTrial, requireDesign } from '../domain/trials/load-trial';
import { env } from '../env';
import { ingestDemoStudies, type DemoStudyTask } from './ingest-demo-studies';
import { planDemoCases } from './plan-demo-cases';

const SYSTEM = { actor: { userId: null, role: null }, request: { via: 'system' as const } };
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * The demo trial's patients (first start only): enrolls the synthetic cohort's subjects at site-a,
 * site-b and the external site-x with the cohort's covariates, randomizes most of them through the
 * real engine, records exclusions and follow-up events, and then — in the background, so that the
 * app answers at once — ingests their four-sequence studies through the real pipeline (which queues
 * the segmentation jobs) and records follow-up outcomes from the cohort's ground truth.
 * SEGTRIAL_DEMO_CASES chooses how much ('full', 'enroll', 'none'; see server/env.ts).
 * Returns the background work's promise (tests and scripts may await it; the app does not) and the
 * study tasks it was given (in 'enroll' mode: those it would have done).
 */
export async function seedDemoCases({
  db,
  trialId,
  mode: requested,
}: {
  db: Database;
  trialId: string;
  mode?: 'full' | 'enroll' | 'none';
}): Promise<{ background: Promise<void>; tasks: readonly DemoStudyTask[] }> {
  const config = env();
  const mode = requested ?? config.SEGTRIAL_DEMO_CASES ?? (config.NODE_ENV === 'test' ? 'none' : 'full');
  if (mode === 'none') return { background: Promise.resolve(), tasks: [] };
  const started = performance.now();
  const trial = await loadTrial(db, trialId);
  const design = requireDesign(trial);
  const siteRows = await db.select({ id: sites.id, code: sites.code }).from(sites).where(eq(sites.trialId, trialId));
  const siteId = new Map(siteRows.map((s) => [s.code, s.id]));
  const access = { trialId, siteIds: null };
  const ageFactor = design.randomization.factors.find((f) => f.name === 'age_band');

  const tasks: DemoStudyTask[] = [];
  let enrolled = 0;
  let randomized = 0;
  const plan = planDemoCases();
  for (const c of plan) {
    const site = siteId.get(c.site);
    if (!site) throw new Error(`demo site ${c.site} missing`);
    const [existing] = await db
      .select({ id: participants.id })
      .from(participants)
      .where(and(eq(participants.trialId, trialId), eq(participants.studyId, c.studyId)));
    if (existing) continue;
    const level = ageFactor ? levelForAge(ageFactor.levels, c.covariates.age) : null;
    const row = await enrollParticipant({
      db,
      access,
      input: {
        trialId,
        siteId: site,
        studyId: c.studyId,
        baseline: { age: c.covariates.age, sex: c.covariates.sex, scannerVendor: c.covariates.vendor, fieldStrength: c.covariates.fieldStrengthT === 3 ? '3T' : '1.5T' },
        levels: ageFactor && level ? { [ageFactor.name]: level } : {},
        eligibility: { ...c.eligibility },
        consentDate: daysAgo(c.consentDaysAgo),
      },
      ...SYSTEM,
    });
    enrolled++;
    if (typeof c.disposition === 'object') {
      await excludeParticipant({ db, access, participantId: row.id, reason: c.disposition.exclude, note: 'demo', ...SYSTEM });
      continue;
    }
    if (c.disposition !== 'randomize') continue;
    await randomizeParticipant({ db, access, participantId: row.id, ...SYSTEM });
    randomized++;
    if (c.event) await recordParticipantEvent({ db, access, participantId: row.id, kind: c.event.kind, reason: c.event.reason, note: 'demo', occurredOn: daysAgo(c.consentDaysAgo - 60), ...SYSTEM });
    if (c.study) tasks.push({ demoCase: c, participantId: row.id, assessedOn: daysAgo(c.consentDaysAgo - 183) });
  }
  const full = mode === 'full' && tasks.length > 0;
  console.log(
    `[demo] ${enrolled} demo patients enrolled, ${randomized} randomized in ${((performance.now() - started) / 1000).toFixed(1)} s${full ? `; ${tasks.length} MRI studies follow in the background` : ''}`,
  );
  const background = full
    ? ingestDemoStudies({ db, store: createContentStore(config.SEGTRIAL_STORAGE_ROOT), storageRoot: config.SEGTRIAL_STORAGE_ROOT, trialId, tasks }).catch((error: unknown) =>
        console.error('[demo] background studies stopped:', error),
      )
    : Promise.resolve();
  return { background, tasks };
}
