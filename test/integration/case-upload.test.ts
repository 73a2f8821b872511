/**
 * Studies as they come, through the upload route: a case (a BraTS-named folder, a Decathlon 4D file,
 * a skull-on folder with free names, a thick-slice FLAIR) is recognised before anything is stored,
 * waits for the coordinator to confirm or correct which file is which sequence, and is ingested by
 * the ingest-study job (in its child process) only then. Inputs are built from Colin27 (Debian
 * mricron-data: ch2bet for the brain, ch2 for the head) at 3 mm with hand-written contrasts, not by
 * the cohort generator; test/integration/ingest-layouts.test.ts drives the same layouts through
 * `segtrial segment`.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, jobs, studies, studyUploads, studyVolumes } from '../../db/schema';
import { fourDNifti, makeZip, misalignedStudy, type MisalignedStudy } from '../support/ingest-builders';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { resample } from '../../imaging/resample';
import { createContentStore } from '../../imaging/storage/content-store';
import type { Volume } from '../../imaging/volume';
import { loginUser } from '../../server/domain/auth/login-user';
import { ingestStudyJob } from '../../server/domain/imaging/ingest-study-job';
import { uploadSpoolDir } from '../../server/domain/imaging/store-study-upload';
import { handleStudyUpload } from '../../server/http/upload-study';
import { callerFor } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-case-upload-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);
const ORIGIN = 'http://127.0.0.1:3000';
const ROLES = ['flair', 't1', 't1gd', 't2'] as const;

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: Awaited<ReturnType<typeof seedDemoForTest>>;
let cookie: string;
let brain: MisalignedStudy;
beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  cookie = `segtrial_session=${(await loginUser({ db: handle.db, username: 'coordinator', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } })).token}`;
  brain = await misalignedStudy(3, undefined, { aligned: true });
}, 120_000);
afterAll(() => handle.close());

const nii = (v: Volume<Float32Array>) => gzipSync(encodeNifti(v, { datatype: 'int16' }));

/** POSTs a case (files named by their path in the folder, as the page sends them) to the upload route. */
async function uploadCase(participantId: string, files: { name: string; bytes: Uint8Array }[]) {
  const form = new FormData();
  form.set('trialId', fixture.trialId);
  form.set('participantId', participantId);
  for (const f of files) form.append('case', new File([new Uint8Array(f.bytes)], f.name));
  const res = await handleStudyUpload({
    db: handle.db,
    req: new Request(`${ORIGIN}/api/studies`, { method: 'POST', headers: { cookie, 'x-segtrial-request': '1', host: '127.0.0.1:3000' }, body: form }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON answer, checked field by field
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const coordinator = () => callerFor(handle.db, fixture.users.coordinator);
const assignmentsOf = (mapping: { assignments: { role: (typeof ROLES)[number]; file: string; channel?: number }[] }) => mapping.assignments.map(({ role, file, channel }) => ({ role, file, channel }));

/** Confirms the mapping (as given) and runs the ingest job the confirmation queued; returns the study row. */
async function confirmAndIngest(participantId: string, uploadId: string, assignments: { role: (typeof ROLES)[number]; file: string; channel?: number }[]) {
  const confirmed = await coordinator().studies.confirmUpload({ trialId: fixture.trialId, uploadId, assignments });
  const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, confirmed.jobId));
  expect(job).toMatchObject({ kind: 'ingest-study', status: 'queued' });
  const result = await ingestStudyJob({ db: handle.db, store, payload: { uploadId }, onProgress: async () => {} });
  expect(result).toMatchObject({ status: 'ingested' });
  const [study] = await handle.db.select().from(studies).where(eq(studies.participantId, participantId));
  expect(existsSync(path.join(storageRoot, uploadSpoolDir(uploadId)))).toBe(false);
  return { study: study!, confirmed };
}

describe(`case uploads: recognised, confirmed by the coordinator, then ingested (${TEST_DRIVER})`, { timeout: 300_000 }, () => {
  it('a BraTS 2021 folder of aligned, skull-stripped sequences: recognised, nothing queued until confirmed; identity registration', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const names = { flair: 'flair', t1: 't1', t1gd: 't1ce', t2: 't2' } as const;
    const files = ROLES.map((role) => ({ name: `BraTS2021_00042/BraTS2021_00042_${names[role]}.nii.gz`, bytes: nii(brain.volumes[role]) }));
    files.push({
      name: 'BraTS2021_00042/BraTS2021_00042_seg.nii.gz',
      bytes: gzipSync(encodeNifti({ ...brain.volumes.t1gd, data: new Float32Array(brain.volumes.t1gd.data.length) }, { datatype: 'uint8' })),
    });
    const { status, body } = await uploadCase(p.id, files);
    expect(status).toBe(202);
    expect(body.jobId).toBeNull();
    expect(body.mapping).toMatchObject({ layout: 'brats-2021', caseId: 'BraTS2021_00042' });
    expect(body.mapping.assignments.map((a: { role: string; file: string }) => `${a.role}:${path.posix.basename(a.file)}`)).toEqual([
      'flair:BraTS2021_00042_flair.nii.gz',
      't1:BraTS2021_00042_t1.nii.gz',
      't1gd:BraTS2021_00042_t1ce.nii.gz',
      't2:BraTS2021_00042_t2.nii.gz',
    ]);
    expect(body.mapping.ignored.join()).toMatch(/_seg\.nii\.gz: a label file/);

    // Waiting: listed with its mapping, no ingest job, no study.
    const [waiting] = await coordinator().studies.uploadsForParticipant({ trialId: fixture.trialId, participantId: p.id });
    expect(waiting).toMatchObject({ id: body.uploadId, status: 'awaiting_confirmation', ingestJob: null, mapping: { layout: 'brats-2021' } });
    expect(
      await handle.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.kind, 'ingest-study'), eq(jobs.key, `ingest-study:${body.uploadId}`))),
    ).toEqual([]);

    const { study, confirmed } = await confirmAndIngest(p.id, body.uploadId, assignmentsOf(body.mapping));
    expect(confirmed.corrected).toBe(false);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsonb provenance, checked field by field
    const reg = study.registration as Record<string, any>;
    for (const role of ['flair', 't1', 't2']) expect(reg[role]).toMatchObject({ ok: true, source: 'identity', alreadyAligned: true });
    expect(study.preprocessing).toMatchObject({
      brainExtraction: { method: 'segtrial-morphological-bet' },
      layout: { layout: 'brats-2021', confirmedBy: fixture.users.coordinator.id, corrected: false },
    });
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'study.mapping_confirmed'));
    expect(audit.map((r) => r.after)).toContainEqual(expect.objectContaining({ uploadId: body.uploadId, corrected: false }));
  });

  it('a Decathlon 4D file in another channel order without its dataset.json: the coordinator corrects the mapping before ingest', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const order = ['t1', 't1gd', 't2', 'flair'] as const; // as written; the default order assumes FLAIR, T1w, T1gd, T2w
    const v = brain.volumes.t1gd;
    const bytes = gzipSync(
      fourDNifti(
        order.map((r) => brain.volumes[r].data),
        [...v.dims] as [number, number, number],
        v.affine,
      ),
    );
    const { status, body } = await uploadCase(p.id, [{ name: 'BRATS_007.nii.gz', bytes }]);
    expect(status).toBe(202);
    expect(body.mapping.layout).toBe('decathlon-4d');
    expect(body.mapping.assignments.map((a: { role: string; channel: number }) => `${a.role}:${a.channel}`)).toEqual(['flair:0', 't1:1', 't1gd:2', 't2:3']);
    expect(body.mapping.candidates).toHaveLength(4);

    // A correction that names a channel twice, or a file not uploaded, is refused; nothing is queued.
    const twice = ROLES.map((role) => ({ role, file: 'BRATS_007.nii.gz', channel: 0 }));
    await expect(coordinator().studies.confirmUpload({ trialId: fixture.trialId, uploadId: body.uploadId, assignments: twice })).rejects.toThrow(/chosen for both/);
    const foreign = ROLES.map((role, i) => ({ role, file: i === 3 ? 'other.nii.gz' : 'BRATS_007.nii.gz', channel: i }));
    await expect(coordinator().studies.confirmUpload({ trialId: fixture.trialId, uploadId: body.uploadId, assignments: foreign })).rejects.toThrow(/not a file of this upload/);
    // Other roles may not confirm.
    await expect(callerFor(handle.db, fixture.users.monitor).studies.confirmUpload({ trialId: fixture.trialId, uploadId: body.uploadId, assignments: twice })).rejects.toThrow(/Role not permitted/);

    const corrected = order.map((role, channel) => ({ role, file: 'BRATS_007.nii.gz', channel }));
    const { study, confirmed } = await confirmAndIngest(p.id, body.uploadId, corrected);
    expect(confirmed.corrected).toBe(true);
    const volumes = await handle.db.select().from(studyVolumes).where(eq(studyVolumes.studyId, study.id));
    expect(Object.fromEntries(volumes.map((x) => [x.role, x.originalName]))).toMatchObject({
      t1: expect.stringMatching(/channel 0/),
      t1gd: expect.stringMatching(/channel 1/),
      flair: expect.stringMatching(/channel 3/),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsonb provenance, checked field by field
    const reg = study.registration as Record<string, any>;
    for (const role of ['flair', 't1', 't2']) expect(reg[role]).toMatchObject({ ok: true, source: 'identity' });
    expect(study.preprocessing).toMatchObject({
      layout: { layout: 'decathlon-4d', corrected: true, assignments: expect.arrayContaining([{ role: 't1gd', file: 'BRATS_007.nii.gz', channel: 1, because: 'assigned by the coordinator' }]) },
    });
    const [audit] = (await handle.db.select().from(auditLog).where(eq(auditLog.action, 'study.mapping_confirmed'))).filter((r) => (r.after as { uploadId: string }).uploadId === body.uploadId);
    expect(audit!.before).toMatchObject({ layout: 'decathlon-4d', assignments: expect.arrayContaining([{ role: 't1gd', file: 'BRATS_007.nii.gz', channel: 2 }]) });
    // Confirmed once: a second confirmation is refused.
    await expect(coordinator().studies.confirmUpload({ trialId: fixture.trialId, uploadId: body.uploadId, assignments: corrected })).rejects.toThrow(/not waiting for confirmation/);
  });

  it('a skull-on clinical folder (free names, Colin27 ch2 head) with a 6 mm FLAIR: brain extraction takes the head off, the thick FLAIR lands on the T1gd grid', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const head = resample(await readNifti('/usr/share/mricron/templates/ch2.nii.gz'), brain.volumes.t1gd);
    const inBrain = brain.volumes.t1gd.data;
    const contrast = { flair: (x: number) => 30 + 0.6 * x + 15 * Math.sin(x / 20), t1: (x: number) => 5 + x, t1gd: (x: number) => 8 + 1.1 * x, t2: (x: number) => 260 - x } as const;
    const headScale = { flair: 0.7, t1: 1, t1gd: 1.05, t2: 0.55 } as const;
    const seq = (role: (typeof ROLES)[number]) => ({ ...head, data: Float32Array.from(head.data, (x, i) => (inBrain[i]! > 0 ? contrast[role](x) : headScale[role] * x)) });
    const f = seq('flair');
    const thick = resample(f, { dims: [f.dims[0], f.dims[1], Math.floor(f.dims[2] / 2)], affine: [3, 0, 0, f.affine[3]!, 0, 3, 0, f.affine[7]!, 0, 0, 6, f.affine[11]! + 1.5, 0, 0, 0, 1] });
    const files = [
      { name: 'clinical/AX_FLAIR_6mm.nii.gz', bytes: nii(thick) },
      ...(['t1', 't1gd', 't2'] as const).map((role) => ({ name: `clinical/AX_${role.toUpperCase()}.nii.gz`, bytes: nii(seq(role)) })),
    ];
    const { status, body } = await uploadCase(p.id, files);
    expect(status).toBe(202);
    expect(body.mapping).toMatchObject({ layout: 'named-files', caseId: null });
    const { study } = await confirmAndIngest(p.id, body.uploadId, assignmentsOf(body.mapping));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsonb provenance, checked field by field
    const pre = study.preprocessing as Record<string, any>;
    expect(pre.brainExtraction.input).toBe('head');
    expect(pre.brainExtraction.volumeMl).toBeGreaterThan(1737 * 0.85); // ch2bet's brain: 1737 mL
    expect(pre.brainExtraction.volumeMl).toBeLessThan(1737 * 1.15);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsonb provenance, checked field by field
    expect((study.registration as Record<string, any>).flair).toMatchObject({ ok: true, alreadyAligned: false });
    expect((study.grid as { dims: number[] }).dims).toEqual([...brain.volumes.t1gd.dims]);
  });

  it('a refused layout (a zip holding two cases) answers 400 with file, field, found, expected and stores nothing; a waiting upload can be discarded', async () => {
    const p = await enrollDemoParticipant(handle.db, fixture);
    const before = (await handle.db.select().from(studyUploads)).length;
    const entries = ['BraTS20_Training_001', 'BraTS20_Training_002'].flatMap((c) => ['flair', 't1', 't1ce', 't2'].map((q) => ({ name: `${c}/${c}_${q}.nii.gz`, bytes: nii(brain.volumes.t1) })));
    const { status, body } = await uploadCase(p.id, [{ name: 'two.zip', bytes: makeZip(entries) }]);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'INVALID_INPUT', ingestCode: 'multiple-cases', field: 'case id', expected: 'one case per upload' });
    expect(body.error.file).toMatch(/BraTS20_Training_002/);
    expect(await handle.db.select().from(studyUploads)).toHaveLength(before);

    // Both ways at once is refused too.
    const form = new FormData();
    form.set('trialId', fixture.trialId);
    form.set('participantId', p.id);
    form.append('case', new File([nii(brain.volumes.t1)], 't1.nii.gz'));
    form.append('flair', new File([nii(brain.volumes.flair)], 'flair.nii.gz'));
    const both = await handleStudyUpload({
      db: handle.db,
      req: new Request(`${ORIGIN}/api/studies`, { method: 'POST', headers: { cookie, 'x-segtrial-request': '1', host: '127.0.0.1:3000' }, body: form }),
    });
    expect(both.status).toBe(400);

    const waiting = await uploadCase(p.id, [
      {
        name: 'BRATS_009.nii.gz',
        bytes: gzipSync(
          fourDNifti(
            ROLES.map((r) => brain.volumes[r].data),
            [...brain.volumes.t1gd.dims] as [number, number, number],
            brain.volumes.t1gd.affine,
          ),
        ),
      },
    ]);
    expect(waiting.status).toBe(202);
    await coordinator().studies.discardUpload({ trialId: fixture.trialId, uploadId: waiting.body.uploadId });
    expect(await handle.db.select().from(studyUploads).where(eq(studyUploads.id, waiting.body.uploadId))).toEqual([]);
    expect(existsSync(path.join(storageRoot, uploadSpoolDir(waiting.body.uploadId)))).toBe(false);
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'study.upload_discarded'));
    expect(audit.map((r) => r.before)).toContainEqual(expect.objectContaining({ uploadId: waiting.body.uploadId, layout: 'decathlon-4d' }));
  });
});
