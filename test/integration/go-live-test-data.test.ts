import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocations, jobs, participants, studies, studyUploads, studyVolumes } from '../../db/schema';
import { enqueueJob } from '../../server/jobs/queue';
import { callerFor } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: Awaited<ReturnType<typeof seedDemoForTest>>;
beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
});
afterAll(() => handle.close());

describe(`going live removes test-mode participants with everything that refers to them (${TEST_DRIVER})`, () => {
  it('goes live after a test participant got a study, an upload and queued jobs (a foreign key blocked it before)', async () => {
    const coordinator = callerFor(handle.db, fixture.users.coordinator);
    const { id: trialId } = await coordinator.trials.create({ slug: `golive-${Date.now()}`, name: 'Go-live trial', sites: [{ code: 'one', name: 'Site One', isExternal: false }] });
    await coordinator.trials.updateDesign({
      trialId,
      design: { randomization: { method: 'minimization', factors: [{ name: 'sex', levels: ['F', 'M'] }] }, targetSampleSize: 20, coordinatorsSeeArm: true },
    });
    await coordinator.trials.startTestMode({ trialId });
    const trial = await coordinator.trials.get({ trialId });
    const siteId = trial.sites[0]!.id;
    const enrolled = await coordinator.participants.enroll({
      trialId,
      siteId,
      studyId: 'T-0001',
      baseline: { age: 30, sex: 'F', scannerVendor: 'GE', fieldStrength: '3T' },
      levels: { sex: 'F' },
      eligibility: {},
      consentDate: '2026-01-01',
    });
    await coordinator.participants.randomize({ trialId, participantId: enrolled.id });
    // The imaging a test participant gets: a study with its volumes, a later upload, and their jobs.
    const [study] = await handle.db.insert(studies).values({ trialId, siteId, participantId: enrolled.id, grid: {}, registration: {}, deidentification: {} }).returning();
    await handle.db.insert(studyVolumes).values({ studyId: study!.id, role: 't1gd', sha256: 'a'.repeat(64), originalSha256: 'b'.repeat(64), originalName: 't1gd.nii', header: {} });
    const [upload] = await handle.db.insert(studyUploads).values({ trialId, siteId, participantId: enrolled.id, files: {}, status: 'ingested', studyId: study!.id }).returning();
    await enqueueJob(handle.db, { kind: 'segment-study', key: `segment-study:${study!.id}:x`, payload: { studyId: study!.id, modelId: 'x' } });
    await enqueueJob(handle.db, { kind: 'ingest-study', key: `ingest-study:${upload!.id}`, payload: { uploadId: upload!.id } });

    const live = await coordinator.trials.goLive({ trialId });
    expect(live.testParticipantsWiped).toBe(1);
    expect(await handle.db.select().from(participants).where(eq(participants.trialId, trialId))).toEqual([]);
    expect(await handle.db.select().from(studies).where(eq(studies.trialId, trialId))).toEqual([]);
    expect(await handle.db.select().from(studyVolumes).where(eq(studyVolumes.studyId, study!.id))).toEqual([]);
    expect(await handle.db.select().from(studyUploads).where(eq(studyUploads.trialId, trialId))).toEqual([]);
    expect(await handle.db.select().from(allocations).where(eq(allocations.trialId, trialId))).toEqual([]);
    expect(
      await handle.db
        .select()
        .from(jobs)
        .where(inArray(jobs.key, [`segment-study:${study!.id}:x`, `ingest-study:${upload!.id}`])),
    ).toEqual([]);
  });
});
