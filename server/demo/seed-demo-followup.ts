import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { allocations, imagingVisits, participants, studies, trials } from '../../db/schema';
import type { CourseParameters } from '../../imaging/cohort/longitudinal';
import type { IngestResult } from '../../imaging/ingest/ingest';
import { createContentStore, type ContentStore } from '../../imaging/storage/content-store';
import { env } from '../env';
import { runChildProcess } from '../jobs/run-child-process';
import { imagingVisitSchedule } from '../domain/followup/imaging-visit-schedule';
import { recordImagingVisit } from '../domain/followup/record-imaging-visit';
import { attachStudy } from '../domain/imaging/attach-study';
import type { DemoFollowupRequest } from './demo-followup-process';
import { DEMO_COHORT_SEED } from './plan-demo-cases';
import { DEMO_FOLLOWUP_COURSES, planDemoFollowups } from './plan-demo-followups';

const SYSTEM = { actor: { userId: null, role: null }, request: { via: 'system' as const } };

export interface DemoFollowupSeeded {
  readonly participantCode: string;
  readonly arm: string;
  readonly course: string;
  readonly baselineStudyId: string;
  readonly followupStudyId: string;
}

/**
 * The demo's follow-up imaging (issue 18), after the baseline studies are in (`after`: the demo's
 * background ingest): for the first site-a candidates of each arm (planDemoFollowups), a scan at
 * the schedule's first follow-up (week 8 by default) of the same synthetic subject with its tumour grown or shrunk along a stated course
 * (DEMO_FOLLOWUP_COURSES) is generated and ingested in a child process, attached (which queues its
 * segmentation with the pinned model, like the baseline's), and both visits are recorded: the
 * follow-up scanned today on its due date (the demo randomizes today, and a follow-up scan may not
 * precede randomization; the baseline, post-radiotherapy, may), so it is in its window and the next
 * visits are pending,
 * the follow-up registered rigidly to the baseline. The demo clinician (site-a) can then open the
 * follow-up case, compare it with the baseline and sign a RANO category; on the assisted arm the
 * suggestion appears once both segmentations are done. Patients whose visits exist are skipped
 * (a restart adds nothing); a failure is logged, never thrown (the app must keep running).
 */
export async function seedDemoFollowup({
  db,
  trialId,
  after,
  store = createContentStore(env().SEGTRIAL_STORAGE_ROOT),
  storageRoot = env().SEGTRIAL_STORAGE_ROOT,
  size = 'small',
  niceness = 19,
  today = new Date().toISOString().slice(0, 10),
  courses = DEMO_FOLLOWUP_COURSES,
}: {
  db: Database;
  trialId: string;
  after: Promise<unknown>;
  store?: ContentStore;
  storageRoot?: string;
  size?: 'tiny' | 'small';
  niceness?: number;
  today?: string;
  /** Courses per arm (tests give fewer: each follow-up is a generated, ingested and registered study). */
  courses?: Readonly<Record<string, readonly CourseParameters[]>>;
}): Promise<DemoFollowupSeeded[]> {
  const seeded: DemoFollowupSeeded[] = [];
  try {
    await after;
    const [trial] = await db.select({ design: trials.design }).from(trials).where(eq(trials.id, trialId));
    const [first, next] = imagingVisitSchedule(trial?.design);
    if (!next) return seeded;
    const candidates = planDemoFollowups();
    const rows = await db
      .select({ id: participants.id, code: participants.studyId, arm: allocations.arm })
      .from(participants)
      .innerJoin(allocations, eq(allocations.participantId, participants.id))
      .where(
        and(
          eq(participants.trialId, trialId),
          inArray(
            participants.studyId,
            candidates.map((c) => c.studyId),
          ),
        ),
      );
    const access = { trialId, siteIds: null };
    const daysBefore = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const used: Record<string, number> = {};
    for (const c of candidates) {
      const p = rows.find((r) => r.code === c.studyId);
      const course = p && courses[p.arm]?.[used[p.arm] ?? 0];
      if (!p || !course) continue;
      used[p.arm] = (used[p.arm] ?? 0) + 1;
      try {
        const [baseline] = await db.select({ id: studies.id }).from(studies).where(eq(studies.participantId, p.id)).orderBy(asc(studies.ingestedAt)).limit(1);
        if (!baseline) continue;
        const recorded = await db.select({ id: imagingVisits.id }).from(imagingVisits).where(eq(imagingVisits.participantId, p.id));
        if (recorded.length > 0) continue;
        const request: DemoFollowupRequest = {
          seed: DEMO_COHORT_SEED,
          index: c.index,
          site: c.site,
          studyId: c.studyId,
          visit: next.code,
          days: next.offsetDays,
          course,
          size,
          storageRoot,
        };
        const { ingested } = await runChildProcess<{ ingested: IngestResult }>({ entry: 'server/demo/demo-followup-process.ts', request, niceness, label: 'demo follow-up process' });
        const followup = await attachStudy({ db, store, access, participantId: p.id, ingested, ...SYSTEM });
        await recordImagingVisit({ db, store, access, participantId: p.id, visitCode: first!.code, studyId: baseline.id, scannedOn: daysBefore(next.offsetDays), today, ...SYSTEM });
        await recordImagingVisit({ db, store, access, participantId: p.id, visitCode: next.code, studyId: followup.studyId, scannedOn: today, today, ...SYSTEM });
        seeded.push({ participantCode: c.studyId, arm: p.arm, course: course.course, baselineStudyId: baseline.id, followupStudyId: followup.studyId });
        console.log(`[demo] ${c.studyId}: follow-up ${next.code} (${course.course}) ingested, both visits recorded`);
      } catch (error) {
        console.error(`[demo] follow-up of ${c.studyId} skipped:`, error instanceof Error ? error.message : error);
      }
    }
  } catch (error) {
    console.error('[demo] follow-up visits stopped:', error instanceof Error ? error.message : error);
  }
  return seeded;
}
