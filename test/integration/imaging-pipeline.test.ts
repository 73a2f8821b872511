import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, jobs, segmentations, studies, studyUploads, studyVolumes } from '../../db/schema';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { registerModel } from '../../server/domain/segmentation/register-model';
import { segmentStudyJob, type SegmentStudyPayload } from '../../server/domain/segmentation/segment-study-job';
import { loginUser } from '../../server/domain/auth/login-user';
import { ingestStudyJob } from '../../server/domain/imaging/ingest-study-job';
import { handleStudyUpload } from '../../server/http/upload-study';
import { claimJob } from '../../server/jobs/queue';
import { callerFor, type DemoUsers } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-store-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);
const pointwise = path.join(import.meta.dirname, '../../models/runtime/fixtures/pointwise.onnx');

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let cookie: string;
beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  const { token } = await loginUser({ db: handle.db, username: 'coordinator', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } });
  cookie = `segtrial_session=${token}`;
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
});
afterAll(() => handle.close());

/** Uploads (202: spooled, ingest queued) and runs the ingest job as the worker would. */
async function uploadAndIngest(form: FormData) {
  const res = await upload(form);
  expect(res.status).toBe(202);
  const { uploadId } = (await res.json()) as { uploadId: string };
  return ingestStudyJob({ db: handle.db, store, payload: { uploadId }, onProgress: async () => {} });
}

function upload(form: FormData): Promise<Response> {
  return handleStudyUpload({
    db: handle.db,
    req: new Request('http://127.0.0.1:3000/api/studies', { method: 'POST', headers: { cookie, 'x-segtrial-request': '1', host: '127.0.0.1:3000' }, body: form }),
  });
}

async function subjectForm(participantId: string, replace?: { role: string; bytes: Uint8Array }) {
  const subject = await generateSubject({ seed: 'pipeline-test', index: 1, site: 'site-a', size: 'small', misalign: true });
  const form = new FormData();
  form.set('trialId', fixture.trialId);
  form.set('participantId', participantId);
  for (const role of ['flair', 't1', 't1gd', 't2'] as const) {
    const bytes = replace?.role === role ? replace.bytes : encodeNifti(subject.images[role], { datatype: 'int16' });
    // A broken upload keeps the .nii.gz name, so the gzip check meets it; the others are plain .nii.
    form.set(role, new File([new Uint8Array(bytes)], replace?.role === role ? `${role}.nii.gz` : `${role}.nii`));
  }
  return form;
}

describe(`imaging pipeline: upload → ingest → queued inference → one segmentation (${TEST_DRIVER})`, () => {
  it('refuses a broken file with a typed reason and stores nothing', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const ingested = await uploadAndIngest(await subjectForm(p.id, { role: 't2', bytes: new TextEncoder().encode('not a nifti file at all') }));
    expect(ingested.status).toBe('rejected');
    const [row] = await handle.db.select().from(studyUploads).where(eq(studyUploads.id, ingested.uploadId));
    const rejection = row!.rejection as { ingestCode: string; file: string; message: string };
    expect(rejection).toMatchObject({ ingestCode: 'format', file: 't2.nii.gz' });
    expect(rejection.message).toContain('t2.nii.gz');
    expect(await handle.db.select().from(studies)).toEqual([]);
    const stored = readdirSync(storageRoot, { recursive: true }).filter((f) => String(f).length > 60);
    expect(stored.filter((f) => !String(f).includes(createHash('sha256').update(readFileSync(pointwise)).digest('hex')))).toEqual([]);
    const [rejected] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'study.rejected'));
    expect(rejected?.after).toMatchObject({ file: 't2.nii.gz' });
  });

  it('refuses a clinician and a cross-site upload', async () => {
    const { token } = await loginUser({ db: handle.db, username: 'clinician', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } });
    const res = await handleStudyUpload({
      db: handle.db,
      req: new Request('http://127.0.0.1:3000/api/studies', { method: 'POST', headers: { cookie: `segtrial_session=${token}`, 'x-segtrial-request': '1' }, body: new FormData() }),
    });
    expect(res.status).toBe(403);
    const noHeader = await handleStudyUpload({ db: handle.db, req: new Request('http://127.0.0.1:3000/api/studies', { method: 'POST', headers: { cookie }, body: new FormData() }) });
    expect(noHeader.status).toBe(403);
  });

  it('ingests a misaligned study, queues inference for it, and the job stores exactly one result', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    await callerFor(handle.db, fixture.users.coordinator).participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    const ingested = await uploadAndIngest(await subjectForm(p.id));
    expect(ingested.status).toBe('ingested');
    const { studyId, segmentationJobId: jobId } = ingested as { studyId: string; segmentationJobId: string };
    expect(await handle.db.select().from(studyVolumes).where(eq(studyVolumes.studyId, studyId))).toHaveLength(4);
    const [study] = await handle.db.select().from(studies).where(eq(studies.id, studyId));
    expect(Object.values(study!.registration as Record<string, { ok: boolean }>).every((r) => r.ok)).toBe(true);

    const job = await claimJob(handle.db, { workerId: 'test-worker', kinds: ['segment-study'], leaseSeconds: 600 });
    expect(job?.id).toBe(jobId);
    const settings = { providers: ['cpu'], threads: 1, tta: false };
    const first = await segmentStudyJob({ db: handle.db, store, payload: job!.payload as SegmentStudyPayload, settings, onProgress: async () => {} });
    // A retry (e.g. the worker died after storing) finds the result and stops.
    const again = await segmentStudyJob({ db: handle.db, store, payload: job!.payload as SegmentStudyPayload, settings, onProgress: async () => {} });
    expect(again).toEqual({ segmentationId: first.segmentationId, reused: true });
    const rows = await handle.db.select().from(segmentations).where(eq(segmentations.studyId, studyId));
    expect(rows).toHaveLength(1);
    const [allocation] = await callerFor(handle.db, fixture.users.statistician)
      .participants.list({ trialId: fixture.trialId })
      .then((list) => list.filter((r) => r.id === p.id));
    expect(rows[0]!.blinded).toBe(allocation!.arm !== 'ai_assisted');
    expect(rows[0]!.provenance).toMatchObject({ model: { name: 'pointwise-test', version: '1' }, runtime: { executionProvider: 'cpu' } });
    expect(await store.has(rows[0]!.labelsSha256)).toBe(true);
    const [{ n } = { n: 0 }] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(jobs)
      .where(eq(jobs.kind, 'segment-study'));
    expect(n).toBe(1);
  }, 600_000);
});
