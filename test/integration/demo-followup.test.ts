import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocations, imagingVisits, participants } from '../../db/schema';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { DEMO_COHORT_SEED } from '../../server/demo/plan-demo-cases';
import { planDemoFollowups } from '../../server/demo/plan-demo-followups';
import { seedDemoCases } from '../../server/demo/seed-demo-cases';
import { seedDemoFollowup } from '../../server/demo/seed-demo-followup';
import { attachStudy } from '../../server/domain/imaging/attach-study';
import { callerFor, type DemoUsers } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-demo-followup-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);
const TODAY = new Date().toISOString().slice(0, 10);
/** One assisted patient with a growing tumour: each follow-up is a generated, ingested and registered study (minutes on 2 busy cores). */
const COURSES = { ai_assisted: [{ course: 'growth' as const, doublingTimeDays: 45 }], control: [] };
const SYSTEM = { actor: { userId: null, role: null }, request: { via: 'system' as const } };

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
/** Participants given a baseline here (tiny grid: the demo's own are 'small', which is slower). */
const baselines: { participantId: string; code: string; arm: string; tumorKind: string | null }[] = [];

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await seedDemoCases({ db: handle.db, trialId: fixture.trialId, mode: 'enroll' });
  const rows = await handle.db
    .select({ id: participants.id, code: participants.studyId, arm: allocations.arm })
    .from(participants)
    .innerJoin(allocations, eq(allocations.participantId, participants.id));
  const wanted: Record<string, number> = Object.fromEntries(Object.entries(COURSES).map(([arm, courses]) => [arm, courses.length]));
  for (const c of planDemoFollowups()) {
    const p = rows.find((r) => r.code === c.studyId)!;
    if (!wanted[p.arm]) continue;
    wanted[p.arm]!--;
    // The same cohort subject the demo would ingest as this patient's baseline.
    const subject = await generateSubject({ seed: DEMO_COHORT_SEED, index: c.index, site: c.site, size: 'tiny' });
    const files = Object.fromEntries((['flair', 't1', 't1gd', 't2'] as const).map((role) => [role, { name: `${role}.nii`, bytes: encodeNifti(subject.images[role], { datatype: 'int16' }) }]));
    await attachStudy({ db: handle.db, store, access: { trialId: fixture.trialId, siteIds: null }, participantId: p.id, files: files as Parameters<typeof attachStudy>[0]['files'], ...SYSTEM });
    baselines.push({ participantId: p.id, code: c.studyId, arm: p.arm, tumorKind: subject.record.tumor?.kind ?? null });
  }
}, 600_000);
afterAll(() => handle.close());

describe(`demo follow-up visits (${TEST_DRIVER})`, () => {
  it('the demo candidates have enhancing tumours, as the generator draws them', () => {
    expect(baselines).toHaveLength(1);
    for (const b of baselines) expect(['ring', 'patchy']).toContain(b.tumorKind);
  });

  it('each chosen patient gets a follow-up study and both visits, in window and registered; the clinician can open the comparison', async () => {
    const seeded = await seedDemoFollowup({ db: handle.db, trialId: fixture.trialId, after: Promise.resolve(), store, storageRoot, size: 'tiny', niceness: 0, courses: COURSES });
    expect(seeded.map((s) => s.participantCode).sort()).toEqual(baselines.map((b) => b.code).sort());
    expect(seeded.map((s) => [s.arm, s.course])).toEqual([['ai_assisted', 'growth']]);
    for (const s of seeded) {
      const p = baselines.find((b) => b.code === s.participantCode)!;
      const visits = await callerFor(handle.db, fixture.users.coordinator).followup.visits({ trialId: fixture.trialId, participantId: p.participantId });
      expect(visits.map((v) => [v.visitCode, v.status])).toEqual([
        ['baseline', 'in_window'],
        ['fu1', 'in_window'],
        ['fu2', 'pending'],
        ['fu3', 'pending'],
        ['fu4', 'pending'],
        ['fu5', 'pending'],
      ]);
      expect(visits[0]!.studyId).toBe(s.baselineStudyId);
      // Randomized today: the follow-up is scanned today, on its due date; the baseline 56 days before.
      expect(visits[1]).toMatchObject({ studyId: s.followupStudyId, scannedOn: TODAY, dueOn: TODAY });
      expect(visits[0]!.scannedOn).toBe(new Date(Date.parse(`${TODAY}T00:00:00Z`) - 56 * 86_400_000).toISOString().slice(0, 10));
      // Same subject, another session: the rigid registration to baseline passes its QC.
      expect(visits[1]!.registration).toMatchObject({ baselineStudyId: s.baselineStudyId, ok: true, problems: [] });
    }
    // The demo clinician (site-a) opens the follow-up case: the baseline is offered as the prior.
    const view = await callerFor(handle.db, fixture.users.clinician).followup.case({ caseId: seeded[0]!.followupStudyId });
    expect(view).toMatchObject({ visitCode: 'fu1', isFollowUp: true, priors: [{ kind: 'baseline', visitCode: 'baseline', studyId: seeded[0]!.baselineStudyId }] });

    // A restart adds nothing: visits recorded are skipped.
    expect(await seedDemoFollowup({ db: handle.db, trialId: fixture.trialId, after: Promise.resolve(), store, storageRoot, size: 'tiny', niceness: 0, courses: COURSES })).toEqual([]);
    expect(await handle.db.select().from(imagingVisits)).toHaveLength(2 * seeded.length);
  }, 600_000);
});
