import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { auditLog, jobs, segmentations } from '../../db/schema';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { loginUser } from '../../server/domain/auth/login-user';
import { registerModel } from '../../server/domain/segmentation/register-model';
import { ingestStudyJob } from '../../server/domain/imaging/ingest-study-job';
import { handleStudyUpload } from '../../server/http/upload-study';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import { callerFor } from '../integration/support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from '../integration/support/demo';
import { enrollDemoParticipant } from '../integration/support/enrollment';
import { REPO_ROOT } from './support/app-server';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-worker-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const LEASE_SECONDS = 3;
// The 3×3×3 model with 50 % tile overlap: enough sliding-window steps that the kill lands mid-inference.
const modelPath = path.join(REPO_ROOT, 'models/runtime/fixtures/context.onnx');

let database: ScratchDatabase;
let handle: DatabaseHandle;
const workers: ChildProcess[] = [];

function startWorker(id: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/reliability/support/worker-process.ts'), id, String(LEASE_SECONDS)], {
    cwd: REPO_ROOT,
    // Its own process group: the kill takes the worker and its inference child together, as a crash would.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: database.url, SEGTRIAL_STORAGE_ROOT: storageRoot, SEGTRIAL_EXECUTION_PROVIDERS: 'cpu', SEGTRIAL_INFERENCE_THREADS: '1' },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  (child as ChildProcess & { output: () => string }).output = () => out;
  workers.push(child);
  return child;
}
const outputOf = (c: ChildProcess) => (c as ChildProcess & { output: () => string }).output();

beforeAll(async () => {
  database = await createScratchDatabase();
  handle = await database.open();
  await handle.migrate();
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) process.kill(-w.pid!, 'SIGKILL');
  await database?.drop();
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('an inference worker killed mid-job (PostgreSQL, real ONNX model)', () => {
  it('the job is retried by another worker and produces exactly one result', async () => {
    const fixture = await seedDemoForTest(handle.db);
    const store = createContentStore(storageRoot);
    await registerModel({
      db: handle.db,
      store,
      onnxPath: modelPath,
      isDefault: true,
      card: {
        name: 'context-test',
        version: '1',
        input: { name: 'image', channels: ['flair', 't1', 't1gd', 't2'], axisOrder: 'NCZYX', spacingMm: [2, 2, 2] },
        output: { name: 'logits', form: 'softmax' },
        inference: { patch: [32, 32, 32], step: 0.5 },
        sha256: createHash('sha256').update(readFileSync(modelPath)).digest('hex'),
      },
      actor: { userId: null, role: null },
      request: { via: 'system' },
    });
    const participant = await enrollDemoParticipant(handle.db, fixture);
    await callerFor(handle.db, fixture.users.coordinator).participants.randomize({ trialId: fixture.trialId, participantId: participant.id });
    const { token } = await loginUser({ db: handle.db, username: 'coordinator', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } });
    const subject = await generateSubject({ seed: 'worker-kill', index: 1, site: 'site-a', size: 'small', misalign: false });
    const form = new FormData();
    form.set('trialId', fixture.trialId);
    form.set('participantId', participant.id);
    for (const role of ['flair', 't1', 't1gd', 't2'] as const) form.set(role, new File([new Uint8Array(encodeNifti(subject.images[role], { datatype: 'int16' }))], `${role}.nii`));
    const res = await handleStudyUpload({
      db: handle.db,
      req: new Request('http://127.0.0.1:3000/api/studies', { method: 'POST', headers: { cookie: `segtrial_session=${token}`, 'x-segtrial-request': '1', host: '127.0.0.1:3000' }, body: form }),
    });
    expect(res.status).toBe(202);
    // Ingest as the worker would run it, here, so the workers below meet the segmentation job.
    const { uploadId } = (await res.json()) as { uploadId: string };
    const ingested = await ingestStudyJob({ db: handle.db, store: createContentStore(storageRoot), payload: { uploadId }, onProgress: async () => {} });
    const { studyId, segmentationJobId: jobId } = ingested as { studyId: string; segmentationJobId: string };

    // Worker A claims the job; once inference has reported progress (tiles done, not all), it dies.
    const a = startWorker('worker-a');
    const midJob = await waitFor('worker A to be mid-inference', async () => {
      const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, jobId));
      return job?.lockedBy === 'worker-a' && job.progressDone > 0 && job.progressDone < job.progressTotal ? job : undefined;
    });
    process.kill(-a.pid!, 'SIGKILL');
    await new Promise((r) => a.once('exit', r));
    expect(await handle.db.select().from(segmentations).where(eq(segmentations.studyId, studyId))).toEqual([]);

    // Worker B starts after the crash and takes the job over when A's lease runs out.
    const b = startWorker('worker-b');
    const done = await waitFor(
      'the job to succeed',
      async () => {
        const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, jobId));
        return job?.status === 'succeeded' ? job : undefined;
      },
      120_000,
    );
    expect(done).toMatchObject({ lockedBy: 'worker-b', attempts: 2 });
    const results = await handle.db.select().from(segmentations).where(eq(segmentations.studyId, studyId));
    expect(results).toHaveLength(1);
    expect(done.result).toMatchObject({ segmentationId: results[0]!.id, reused: false });
    expect(await store.has(results[0]!.labelsSha256)).toBe(true);
    const audited = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'segmentation.created'), eq(auditLog.entityId, results[0]!.id)));
    expect(audited[0]?.n).toBe(1);
    expect(await verifyAuditChain({ db: handle.db })).toMatchObject({ ok: true });
    console.log(`worker A killed at tile ${midJob.progressDone}/${midJob.progressTotal}; worker B finished the job (attempt ${done.attempts}); worker B log:\n${outputOf(b).trim()}`);
    process.kill(-b.pid!, 'SIGTERM');
  });
});
