import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, participantOutcomes, participants, studies } from '../../db/schema';
import { decodeNifti } from '../../imaging/nifti/read-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { ingestDemoStudies } from '../../server/demo/ingest-demo-studies';
import { seedDemoCases } from '../../server/demo/seed-demo-cases';
import { registerModel } from '../../server/domain/segmentation/register-model';
import { loginUser } from '../../server/domain/auth/login-user';
import { handleReferenceSegmentationUpload } from '../../server/http/upload-reference-segmentation';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { callerFor, type DemoUsers } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-demo-store-'));
// The reference upload route reads the storage root from the environment (server/env.ts).
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);
const pointwise = path.join(import.meta.dirname, '../../models/runtime/fixtures/pointwise.onnx');

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
beforeAll(async () => {
  handle = await openTestDatabase();
  // Under NODE_ENV=test the demo seed creates no patients (SEGTRIAL_DEMO_CASES defaults to 'none').
  fixture = await seedDemoForTest(handle.db);
});
afterAll(() => handle.close());

describe(`demo trial cases (${TEST_DRIVER})`, () => {
  it('the test default seeds an empty demo trial', async () => {
    expect(await handle.db.select().from(participants)).toEqual([]);
  });

  let tasks: Awaited<ReturnType<typeof seedDemoCases>>['tasks'] = [];
  it("'enroll' enrolls and randomizes the cohort's patients with every CONSORT branch, quickly", async () => {
    const started = performance.now();
    ({ tasks } = await seedDemoCases({ db: handle.db, trialId: fixture.trialId, mode: 'enroll' }));
    expect(performance.now() - started).toBeLessThan(30_000);
    const statistician = callerFor(handle.db, fixture.users.statistician);
    const consort = await statistician.trials.consort({ trialId: fixture.trialId });
    // The demo's ineligible patient (prior treatment) counts as not meeting eligibility criteria, not as awaiting.
    expect(consort).toMatchObject({ assessed: 26, excluded: 2, awaitingRandomization: 2, randomized: 22 });
    expect(consort.exclusionReasons.find((r) => r.reason === 'declined')?.n).toBe(1);
    expect(consort.exclusionReasons.find((r) => r.reason === 'not_eligible')?.n).toBe(1);
    const arms = consort.arms.map((a) => a.allocated);
    expect(arms.reduce((s, n) => s + n, 0)).toBe(22);
    expect(consort.arms.flatMap((a) => [a.withdrawn, a.lostToFollowUp, a.protocolDeviations]).reduce((s, n) => s + n, 0)).toBe(3);

    // The coordinator sees site-a and site-b only; the arm stays concealed (blinded demo design).
    const coordinatorView = await callerFor(handle.db, fixture.users.coordinator).participants.list({ trialId: fixture.trialId });
    expect(coordinatorView).toHaveLength(22);
    expect(coordinatorView.every((p) => p.arm === null && p.site !== 'site-x')).toBe(true);
    const sx = (await statistician.participants.list({ trialId: fixture.trialId })).find((p) => p.studyId === 'SX-0001')!;
    expect(sx.covariates).toMatchObject({ age: tasks.find((t) => t.demoCase.studyId === 'SX-0001')!.demoCase.covariates.age });

    // The ineligible patient is enrolled; randomizing refuses with the unmet criterion.
    const ineligible = coordinatorView.find((p) => p.studyId === 'SB-0008')!;
    await expect(callerFor(handle.db, fixture.users.coordinator).participants.randomize({ trialId: fixture.trialId, participantId: ineligible.id })).rejects.toThrow(/not eligible/);

    // A second call adds nobody (study IDs are unique per trial and skipped when present).
    await seedDemoCases({ db: handle.db, trialId: fixture.trialId, mode: 'enroll' });
    expect(await handle.db.select().from(participants)).toHaveLength(26);
    expect(tasks).toHaveLength(19);
  });

  it('the background half ingests a study through the real pipeline, queues its segmentation and records the ground truth with the label map', async () => {
    await registerModel({
      db: handle.db,
      store,
      onnxPath: pointwise,
      isDefault: true,
      card: {
        name: 'pointwise-test',
        version: '1',
        input: { name: 'image', channels: ['flair', 't1', 't1gd', 't2'], axisOrder: 'NCZYX', spacingMm: [2, 2, 2] },
        output: { name: 'logits', form: 'softmax' },
        inference: { patch: [32, 32, 32], step: 0.5 },
        sha256: createHash('sha256').update(readFileSync(pointwise)).digest('hex'),
      },
      actor: { userId: null, role: null },
      request: { via: 'system' },
    });
    const task = tasks.find((t) => t.demoCase.outcome === 'reference' && t.demoCase.site === 'site-x')!;
    // Normal priority here: the test waits for it (the app runs it at the lowest priority).
    await ingestDemoStudies({ db: handle.db, store, storageRoot, trialId: fixture.trialId, tasks: [task], niceness: 0 });

    const [study] = await handle.db.select().from(studies).where(eq(studies.participantId, task.participantId));
    expect(study).toBeDefined();
    const [job] = await handle.db.select().from(jobs);
    expect(job?.payload).toMatchObject({ studyId: study!.id });
    const [outcome] = await handle.db.select().from(participantOutcomes).where(eq(participantOutcomes.participantId, task.participantId));
    expect(outcome).toMatchObject({ referenceStudyId: study!.id, assessedOn: task.assessedOn, supersedesId: null });
    expect(outcome!.referenceHighGrade === null || outcome!.whoGrade === null || outcome!.referenceHighGrade === outcome!.whoGrade >= 3).toBe(true);
    const labels = await decodeNifti(await store.get(outcome!.referenceLabelsSha256!), 'reference.nii.gz');
    expect(labels.dims).toEqual((study!.grid as { dims: number[] }).dims);
    expect(new Set(labels.data).size).toBeGreaterThan(1);

    // The coordinator's view of the study: registration quality and the queued job, nothing else.
    const view = await callerFor(handle.db, fixture.users.admin).studies.listForParticipant({ trialId: fixture.trialId, participantId: task.participantId });
    expect(view).toHaveLength(1);
    expect(view[0]!.registration.map((r) => r.role).sort()).toEqual(['flair', 't1', 't2']);
    expect(view[0]!.registration.every((r) => r.nmiAfter! > r.nmiBefore! - 0.001)).toBe(true);
    expect(view[0]!.segmentationJob).toEqual({ status: 'queued', tilesDone: 0, tilesTotal: 0, attempts: 0 });
    // Nothing in it may reveal the arm or the AI output, at any depth.
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (v && typeof v === 'object' && !(v instanceof Date))
        for (const [k, x] of Object.entries(v)) {
          keys.add(k);
          walk(x);
        }
    };
    walk(view);
    for (const forbidden of ['arm', 'blinded', 'labelsSha256', 'volumesMl', 'riskHighGrade', 'result', 'model', 'modelId']) expect(keys.has(forbidden), forbidden).toBe(false);
    // The study's provenance is the ingest's (layout, brain extraction), never the AI run's.
    expect(Object.keys(view[0]!.provenance).sort()).toEqual(['brainExtraction', 'layout']);
    // site-x is not the coordinator's: NOT_FOUND, as for any record of another site.
    await expect(callerFor(handle.db, fixture.users.coordinator).studies.listForParticipant({ trialId: fixture.trialId, participantId: task.participantId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  }, 400_000);

  it('the reference segmentation upload route validates the label map against the study grid and stores it', async () => {
    const task = tasks.find((t) => t.demoCase.outcome === 'reference' && t.demoCase.site === 'site-x')!;
    const [study] = await handle.db.select().from(studies).where(eq(studies.participantId, task.participantId));
    const [outcome] = await handle.db.select().from(participantOutcomes).where(eq(participantOutcomes.participantId, task.participantId));
    const labels = await decodeNifti(await store.get(outcome!.referenceLabelsSha256!), 'reference.nii.gz');
    const post = async (username: string, name: string, bytes: Uint8Array) => {
      const { token } = await loginUser({ db: handle.db, username, password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } });
      const form = new FormData();
      form.set('trialId', fixture.trialId);
      form.set('file', new File([new Uint8Array(bytes)], name));
      const req = new Request(`http://127.0.0.1:3000/api/studies/${study!.id}/reference`, {
        method: 'POST',
        headers: { cookie: `segtrial_session=${token}`, 'x-segtrial-request': '1', host: '127.0.0.1:3000' },
        body: form,
      });
      const res = await handleReferenceSegmentationUpload({ db: handle.db, req, studyId: study!.id });
      return { status: res.status, body: (await res.json()) as { labelsSha256?: string; error?: Record<string, string> } };
    };
    const wrongGrid = await post('admin', 'wrong.nii', encodeNifti({ ...labels, dims: [8, 8, 8], data: new Uint8Array(512) }, { datatype: 'uint8' }));
    expect(wrongGrid.status).toBe(400);
    expect(wrongGrid.body.error).toMatchObject({ code: 'INVALID_INPUT', file: 'wrong.nii', field: 'dim', found: '8×8×8' });
    const badLabel = new Uint8Array(labels.data);
    badLabel[0] = 7;
    const badValue = await post('admin', 'bad.nii', encodeNifti({ ...labels, data: badLabel }, { datatype: 'uint8' }));
    expect(badValue.body.error).toMatchObject({ field: 'labels', found: '7' });
    // The coordinator cannot see site-x: NOT_FOUND; a clinician is refused by role.
    expect((await post('coordinator', 'ok.nii', encodeNifti(labels, { datatype: 'uint8' }))).status).toBe(404);
    expect((await post('clinician', 'ok.nii', encodeNifti(labels, { datatype: 'uint8' }))).status).toBe(403);
    const ok = await post('admin', 'ok.nii', encodeNifti(labels, { datatype: 'uint8' }));
    expect(ok.status).toBe(201);
    expect(ok.body.labelsSha256).toBe(outcome!.referenceLabelsSha256);
  });
});
