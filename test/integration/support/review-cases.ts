import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { allocations, models } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { attachStudy } from '@/server/domain/imaging/attach-study';
import { registerModel } from '@/server/domain/segmentation/register-model';
import { segmentStudyJob } from '@/server/domain/segmentation/segment-study-job';
import { resolveTrialAccess } from '@/server/domain/trials/trial-access';
import { callerFor, type DemoUsers } from './callers';
import { enrollDemoParticipant } from './enrollment';
import { ingestTinyStudy } from './tiny-study-ingest';

const pointwise = path.join(import.meta.dirname, '../../../models/runtime/fixtures/pointwise.onnx');

/**
 * Registers the tiny pointwise ONNX model (models/runtime/fixtures) as the default, so attached
 * studies queue a real inference that takes well under a second on a tiny subject.
 */
export async function registerTestModel(db: Database, store: ContentStore): Promise<string> {
  const [existing] = await db.select({ id: models.id }).from(models).where(eq(models.name, 'pointwise-test'));
  if (existing) return existing.id;
  const model = await registerModel({
    db,
    store,
    onnxPath: pointwise,
    isDefault: true,
    card: {
      name: 'pointwise-test',
      version: '1',
      input: { name: 'image', channels: ['flair', 't1', 't1gd', 't2'], axisOrder: 'NCZYX', spacingMm: [4, 4, 4] },
      output: { name: 'logits', form: 'softmax' },
      inference: { patch: [32, 32, 32], step: 0.5 },
      sha256: createHash('sha256').update(readFileSync(pointwise)).digest('hex'),
    },
    actor: { userId: null, role: null },
    request: { via: 'system' },
  });
  return model.id;
}

export interface ReviewCaseFixture {
  readonly caseId: string;
  readonly participantId: string;
  readonly participantCode: string;
  readonly arm: string;
  readonly siteCode: string;
}

let subjectIndex = 0;

/**
 * Enrolls and randomizes participants at `siteCode` until one lands in `arm` (allocation stays
 * concealed and random: permuted blocks of at most 6 guarantee both arms within 6 draws), then
 * attaches a tiny synthetic study as the coordinator and, with `segment`, runs its queued
 * inference job for real. The participants randomized into the other arm are returned too (no study).
 */
export async function createReviewCase(
  db: Database,
  fixture: { trialId: string; users: DemoUsers },
  { store, arm, siteCode = 'site-a', segment = true }: { store: ContentStore; arm: string; siteCode?: string; segment?: boolean },
): Promise<ReviewCaseFixture> {
  const coordinator = callerFor(db, fixture.users.coordinator);
  for (let attempt = 0; attempt < 12; attempt++) {
    const p = await enrollDemoParticipant(db, fixture, { siteCode });
    await coordinator.participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    const [allocation] = await db.select({ arm: allocations.arm }).from(allocations).where(eq(allocations.participantId, p.id));
    if (allocation?.arm !== arm) continue;
    const caseId = await attachTinyStudy(db, fixture, { store, participantId: p.id, segment });
    return { caseId, participantId: p.id, participantCode: p.studyId, arm, siteCode };
  }
  throw new Error(`no ${arm} allocation at ${siteCode} in 12 draws`);
}

/** Attaches a tiny synthetic study to a participant (ingested by ingestTinyStudy) and (optionally) runs its segmentation job. */
export async function attachTinyStudy(
  db: Database,
  fixture: { trialId: string; users: DemoUsers },
  { store, participantId, segment = true }: { store: ContentStore; participantId: string; segment?: boolean },
): Promise<string> {
  subjectIndex += 1;
  const ingested = await ingestTinyStudy(subjectIndex, store);
  const access = await resolveTrialAccess({ db, user: fixture.users.coordinator, trialId: fixture.trialId });
  const actor = { userId: fixture.users.coordinator.id, role: 'coordinator' };
  const result = await attachStudy({ db, store, access, participantId, ingested, actor, request: { via: 'system' } });
  if (segment) {
    const [model] = await db.select({ id: models.id }).from(models).where(eq(models.isDefault, true));
    if (!model) throw new Error('no default model registered: call registerTestModel first');
    await segmentStudyJob({ db, store, payload: { studyId: result.studyId, modelId: model.id }, settings: { providers: ['cpu'], threads: 1, tta: false }, onProgress: async () => {} });
  }
  return result.studyId;
}
