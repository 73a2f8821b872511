import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { models } from '../../db/schema';
import type { ContentStore } from '../../imaging/storage/content-store';
import { Rng } from '../../imaging/random';
import { attachStudy } from '../domain/imaging/attach-study';
import { recordFollowUpOutcome } from '../domain/outcomes/record-follow-up-outcome';
import { storeReferenceSegmentation } from '../domain/outcomes/store-reference-segmentation';
import { DEMO_COHORT_SEED, type DemoCase } from './plan-demo-cases';
import { runDemoSubjectProcess, type DemoSubjectResult } from './run-demo-subject-process';

export interface DemoStudyTask {
  readonly demoCase: DemoCase;
  readonly participantId: string;
  /** The follow-up date to record (six months after consent). */
  readonly assessedOn: string;
}

const SYSTEM = { actor: { userId: null, role: null }, request: { via: 'system' as const } };
/** How long to wait for the shipped model's registration (it happens at boot, beside the seed). */
const MODEL_WAIT_MS = 5 * 60_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The heavy half of the demo seed, one patient at a time: a child process generates the cohort
 * subject ('small', 2 mm) and runs the real ingest on its four sequences (validation,
 * de-identification, elastix registration, storage) off the server's event loop; attachStudy then
 * records the study and queues its segmentation job for the in-process worker; finally the follow-up
 * outcome from the subject's ground truth is recorded, with its label map (on the T1gd grid, which is
 * the study grid) as the expert reference segmentation where planned. A failing patient is logged and
 * skipped.
 */
export async function ingestDemoStudies({
  db,
  store,
  storageRoot,
  trialId,
  tasks,
  niceness,
}: {
  db: Database;
  store: ContentStore;
  storageRoot: string;
  trialId: string;
  tasks: readonly DemoStudyTask[];
  niceness?: number;
}): Promise<void> {
  const started = performance.now();
  const access = { trialId, siteIds: null };
  // Without a default model the studies would be stored but never segmented: wait for it.
  for (let waited = 0; waited < MODEL_WAIT_MS; waited += 2000) {
    const [model] = await db.select({ id: models.id }).from(models).where(eq(models.isDefault, true)).limit(1);
    if (model) break;
    await pause(2000);
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'segtrial-demo-'));
  let done = 0;
  try {
    for (const task of tasks) {
      const c = task.demoCase;
      try {
        const labelPath = path.join(scratch, `${c.studyId}_label.nii.gz`);
        const subject = await runDemoSubjectProcess({ seed: DEMO_COHORT_SEED, index: c.index, site: c.site, protocol: c.protocol, studyId: c.studyId, storageRoot, labelPath }, { niceness });
        if (JSON.stringify(subject.record.covariates) !== JSON.stringify(c.covariates)) throw new Error(`cohort covariates of subject ${c.index} differ from the plan`);
        const study = await attachStudy({ db, store, access, participantId: task.participantId, ingested: subject.ingested, ...SYSTEM });
        if (c.outcome !== 'none') {
          const reference =
            c.outcome === 'reference'
              ? await storeReferenceSegmentation({ db, store, access, studyId: study.studyId, file: `${c.studyId}_reference.nii.gz`, bytes: new Uint8Array(await readFile(labelPath)) })
              : null;
          await recordFollowUpOutcome({
            db,
            access,
            participantId: task.participantId,
            input: {
              ...outcomeFromGroundTruth(subject.record, c.index),
              reference: reference ? { studyId: reference.studyId, labelsSha256: reference.labelsSha256 } : null,
              assessedOn: task.assessedOn,
              supersedesId: null,
            },
            ...SYSTEM,
          });
        }
        done++;
        console.log(`[demo] ${c.studyId}: study ingested (${done}/${tasks.length}, ${((performance.now() - started) / 1000).toFixed(0)} s so far)`);
      } catch (error) {
        console.error(`[demo] study of ${c.studyId} skipped:`, error instanceof Error ? error.message : error);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(`[demo] ${done} of ${tasks.length} demo MRI studies ingested (and queued for segmentation) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The reference standard the cohort implies: high grade is the cohort's drawn outcome; the WHO grade
 * follows the tumour's kind (ring-enhancing 4, other high-grade 3, low-grade 2, none without a
 * tumour); 6-month progression-free status is drawn per subject (P = 0.45 high grade, 0.85 otherwise),
 * synthetic like everything here.
 */
function outcomeFromGroundTruth(record: DemoSubjectResult['record'], index: number) {
  const { outcome, tumorKind } = record;
  const whoGrade = !tumorKind ? null : outcome.highGrade ? (tumorKind === 'ring' ? 4 : 3) : 2;
  const progressionFree6m = new Rng(`${DEMO_COHORT_SEED}/progression-${index}`).next() < (outcome.highGrade ? 0.45 : 0.85);
  return {
    referenceHighGrade: outcome.highGrade,
    whoGrade,
    progressionFree6m,
    note: tumorKind ? `synthetic cohort ground truth (${tumorKind} tumour)` : 'synthetic cohort ground truth: no tumour',
  };
}
