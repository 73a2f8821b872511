import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, jobs, studies, studyUploads, studyVolumes } from '../../db/schema';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { loginUser } from '../../server/domain/auth/login-user';
import { ingestStudyJob } from '../../server/domain/imaging/ingest-study-job';
import { INGEST_STUDY_JOB } from '../../server/domain/imaging/queue-study-ingest';
import { uploadSpoolDir } from '../../server/domain/imaging/store-study-upload';
import { registerModel } from '../../server/domain/segmentation/register-model';
import { handleTrpcRequest } from '../../server/http/trpc-handler';
import { handleStudyUpload } from '../../server/http/upload-study';
import { runWorker } from '../../server/jobs/worker';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-upload-job-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);
const pointwise = path.join(import.meta.dirname, '../../models/runtime/fixtures/pointwise.onnx');
const ORIGIN = 'http://127.0.0.1:3000';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: Awaited<ReturnType<typeof seedDemoForTest>>;
let cookie: string;
beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  cookie = `segtrial_session=${(await loginUser({ db: handle.db, username: 'coordinator', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } })).token}`;
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

async function subjectForm(participantId: string, broken?: 't2') {
  const subject = await generateSubject({ seed: 'upload-job-test', index: 2, site: 'site-a', size: 'small' });
  const form = new FormData();
  form.set('trialId', fixture.trialId);
  form.set('participantId', participantId);
  for (const role of ['flair', 't1', 't1gd', 't2'] as const) {
    const bytes = broken === role ? new TextEncoder().encode('not a nifti file at all') : encodeNifti(subject.images[role], { datatype: 'int16' });
    form.set(role, new File([new Uint8Array(bytes)], broken === role ? `${role}.nii.gz` : `${role}.nii`));
  }
  return form;
}

function upload(form: FormData): Promise<Response> {
  return handleStudyUpload({ db: handle.db, req: new Request(`${ORIGIN}/api/studies`, { method: 'POST', headers: { cookie, 'x-segtrial-request': '1', host: '127.0.0.1:3000' }, body: form }) });
}

/** studies.uploadsForParticipant over the tRPC HTTP handler, as the coordinator's page polls it. */
async function uploadsOverHttp(participantId: string) {
  const input = encodeURIComponent(JSON.stringify({ json: { trialId: fixture.trialId, participantId } }));
  const res = await handleTrpcRequest({ db: handle.db, req: new Request(`${ORIGIN}/api/trpc/studies.uploadsForParticipant?input=${input}`, { headers: { cookie, host: '127.0.0.1:3000' } }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: { json: { id: string; status: string; ingestJob: { status: string } | null }[] } } }).result.data.json;
}

async function jobStatus(jobId: string) {
  const [job] = await handle.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId));
  return job?.status;
}

describe(`study upload as a job: POST stores and queues, ingest-study runs in a child process (${TEST_DRIVER})`, () => {
  it('answers the upload before ingest, serves other requests while ingest runs, then records the study and queues its segmentation', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const res = await upload(await subjectForm(p.id));
    expect(res.status).toBe(202);
    const { uploadId, jobId } = (await res.json()) as { uploadId: string; jobId: string };
    // Answered before ingest: no study yet, the job waits in the queue, the raw files are spooled.
    expect(await handle.db.select().from(studies).where(eq(studies.participantId, p.id))).toEqual([]);
    expect(await jobStatus(jobId)).toBe('queued');
    expect(existsSync(path.join(storageRoot, uploadSpoolDir(uploadId)))).toBe(true);
    const [queued] = await uploadsOverHttp(p.id);
    expect(queued).toMatchObject({ id: uploadId, status: 'queued', ingestJob: { status: 'queued' } });

    // The worker, in this process as in the app, runs the job; the ingest itself is in a child process.
    const stop = new AbortController();
    const worker = runWorker({
      db: handle.db,
      workerId: 'test',
      handlers: { [INGEST_STUDY_JOB]: ({ job, reportProgress }) => ingestStudyJob({ db: handle.db, store, payload: job.payload as { uploadId: string }, onProgress: reportProgress }) },
      pollMs: 50,
      signal: stop.signal,
      log: () => {},
    });
    try {
      while ((await jobStatus(jobId)) === 'queued') await new Promise((r) => setTimeout(r, 20));
      // A second request while ingest runs: answered, and the job is still running when the answer is in.
      const during = await uploadsOverHttp(p.id);
      expect(during[0]).toMatchObject({ id: uploadId, ingestJob: { status: 'running' } });
      expect(await jobStatus(jobId)).toBe('running');
      while ((await jobStatus(jobId)) === 'running') await new Promise((r) => setTimeout(r, 100));
    } finally {
      stop.abort();
      await worker;
    }
    expect(await jobStatus(jobId)).toBe('succeeded');
    const [done] = await handle.db.select().from(studyUploads).where(eq(studyUploads.id, uploadId));
    expect(done).toMatchObject({ status: 'ingested' });
    const [study] = await handle.db.select().from(studies).where(eq(studies.participantId, p.id));
    expect(done!.studyId).toBe(study!.id);
    expect(await handle.db.select().from(studyVolumes).where(eq(studyVolumes.studyId, study!.id))).toHaveLength(4);
    const segmentJobs = await handle.db.select().from(jobs).where(eq(jobs.kind, 'segment-study'));
    expect(segmentJobs.map((j) => (j.payload as { studyId: string }).studyId)).toContain(study!.id);
    // Only the de-identified originals stay: the raw upload is gone.
    expect(existsSync(path.join(storageRoot, uploadSpoolDir(uploadId)))).toBe(false);
    expect(await uploadsOverHttp(p.id)).toEqual([]);
    // A retried job (the worker died after recording) records nothing twice.
    expect(await ingestStudyJob({ db: handle.db, store, payload: { uploadId }, onProgress: async () => {} })).toMatchObject({ reused: true, status: 'ingested' });
    expect(await handle.db.select().from(studies).where(eq(studies.participantId, p.id))).toHaveLength(1);
  });

  it('records a refused study on the upload with file, field and reason, and the audit row; no study', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const res = await upload(await subjectForm(p.id, 't2'));
    expect(res.status).toBe(202);
    const { uploadId } = (await res.json()) as { uploadId: string };
    const result = await ingestStudyJob({ db: handle.db, store, payload: { uploadId }, onProgress: async () => {} });
    expect(result).toMatchObject({ status: 'rejected', reused: false });
    const [row] = await uploadsOverHttp(p.id);
    expect(row).toMatchObject({ id: uploadId, status: 'rejected', rejection: { ingestCode: 'format', file: 't2.nii.gz' } });
    expect(await handle.db.select().from(studies).where(eq(studies.participantId, p.id))).toEqual([]);
    const rejected = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'study.rejected'));
    expect(rejected.map((r) => r.after)).toContainEqual(expect.objectContaining({ uploadId, file: 't2.nii.gz' }));
    expect(existsSync(path.join(storageRoot, uploadSpoolDir(uploadId)))).toBe(false);
  });
});
