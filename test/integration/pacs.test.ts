/**
 * Hospital imaging in and out against a real Orthanc (Debian orthanc + orthanc-dicomweb, started
 * here on a free port with its own storage): a study written as DICOM MR series is searched
 * (QIDO-RS), mapped, retrieved (WADO-RS) and ingested through the upload path, segmented by the job,
 * and its SEG and SR go back (STOW-RS) — only while blinding allows. Faults: a PACS that is down or
 * silent answers PACS_UNAVAILABLE with nothing stored, a series with a missing slice is refused by
 * name. Retrieves run as queued jobs (the worker of server/jobs), as upload ingest does.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocations, auditLog, pacsStudySources, participants, segmentations, studies } from '../../db/schema';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { writeMrStudy, type MrStudyFiles } from '../../imaging/dicom/write-mr-study';
import { createContentStore } from '../../imaging/storage/content-store';
import { startOrthanc, type OrthancServer } from '../../scripts/lib/orthanc-server.mjs';
import { AppError } from '../../server/errors';
import { createDicomWebClient, firstValue, type DicomWebClient } from '../../server/domain/pacs/dicomweb-client';
import { describePacsStudy } from '../../server/domain/pacs/describe-pacs-study';
import { RESULT_WITHHELD } from '../../server/domain/pacs/build-result-objects';
import { getPacsRetrieve } from '../../server/domain/pacs/get-pacs-retrieve';
import { listExportableResults } from '../../server/domain/pacs/list-exportable-results';
import { listPacsRetrieves } from '../../server/domain/pacs/list-pacs-retrieves';
import { queuePacsRetrieve, RETRIEVE_PACS_STUDY_JOB, type RetrievePacsStudyPayload } from '../../server/domain/pacs/queue-pacs-retrieve';
import { retrievePacsStudyJob } from '../../server/domain/pacs/retrieve-pacs-study-job';
import { searchPacsStudies } from '../../server/domain/pacs/search-pacs-studies';
import { sendResults } from '../../server/domain/pacs/send-results';
import { registerModel } from '../../server/domain/segmentation/register-model';
import { segmentStudyJob, type SegmentStudyPayload } from '../../server/domain/segmentation/segment-study-job';
import { isAiAssisted } from '../../server/domain/review/is-ai-assisted';
import { resolveTrialAccess } from '../../server/domain/trials/trial-access';
import { claimJob } from '../../server/jobs/queue';
import { runWorker } from '../../server/jobs/worker';
import { callerFor, type DemoUsers } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { enrollDemoParticipant } from './support/enrollment';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-store-'));
const store = createContentStore(storageRoot);
const pointwise = path.join(import.meta.dirname, '../../models/runtime/fixtures/pointwise.onnx');
const request = { via: 'system' as const };

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let orthanc: OrthancServer;
let client: DicomWebClient;
let study: MrStudyFiles;
let broken: MrStudyFiles;

const seriesOf = (s: MrStudyFiles) => Object.fromEntries(s.series.filter((x) => x.role !== 'localizer').map((x) => [x.role, x.seriesInstanceUid])) as Record<'flair' | 't1' | 't1gd' | 't2', string>;

beforeAll(async () => {
  orthanc = await startOrthanc();
  client = createDicomWebClient({ url: orthanc.dicomWebUrl, username: orthanc.username, password: orthanc.password, timeoutMs: 20_000 });
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
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
    request,
  });
  // 'tiny' (4 mm): ingest's registration dominates the run on a busy 2-core machine.
  const subject = await generateSubject({ seed: 'pacs-test', index: 2, site: 'site-a', size: 'tiny', misalign: true });
  study = writeMrStudy({
    images: subject.images,
    patient: { id: 'MRN-0042', name: 'Test^Patient', sex: 'F', birthDate: '19610203' },
    study: { studyInstanceUid: '2.25.4242', date: new Date('2026-11-20T09:30:00Z'), accessionNumber: 'ACC-4242' },
    uidSeed: 'pacs-test',
  });
  broken = writeMrStudy({
    images: subject.images,
    patient: { id: 'MRN-0043' },
    study: { studyInstanceUid: '2.25.4343', date: new Date('2026-11-21T09:30:00Z'), accessionNumber: 'ACC-4343' },
    uidSeed: 'pacs-broken',
  });
  // The broken study's T2 lacks its 20th slice.
  const t2 = broken.series.find((s) => s.role === 't2')!;
  t2.files.splice(19, 1);
  for (const s of [...study.series, ...broken.series]) await client.store(s.files.map((f) => f.bytes));
}, 180_000);

afterAll(async () => {
  await handle?.close();
  await orthanc?.destroy();
});

async function accessAs(user: keyof DemoUsers) {
  return resolveTrialAccess({ db: handle.db, user: fixture.users[user], trialId: fixture.trialId });
}

/** Randomize new participants until one lands in the wanted arm kind. */
async function participantInArm(aiArm: boolean): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const p = await enrollDemoParticipant(handle.db, fixture);
    await callerFor(handle.db, fixture.users.coordinator).participants.randomize({ trialId: fixture.trialId, participantId: p.id });
    const [a] = await handle.db.select().from(allocations).where(eq(allocations.participantId, p.id));
    if (isAiAssisted(a!.arm) === aiArm) return p.id;
  }
  throw new Error('no participant in the wanted arm after 20 tries');
}

/** Queues a retrieve of `files`' four series for a participant, as the coordinator's page does. */
async function queueRetrieve(participantId: string, files: MrStudyFiles) {
  return queuePacsRetrieve({
    db: handle.db,
    access: await accessAs('coordinator'),
    participantId,
    studyInstanceUid: files.studyInstanceUid,
    series: seriesOf(files),
    expectedInstances: files.series.slice(1).reduce((n, s) => n + s.files.length, 0),
    pacsConfigured: true,
    actor: { userId: fixture.users.coordinator.id, role: 'coordinator' },
    request,
  });
}

/** The job worker (server/jobs/worker.ts) running retrieve jobs against `c` until it has finished one attempt. */
async function workOnce(c: DicomWebClient = client): Promise<string> {
  const controller = new AbortController();
  let outcome = '';
  await runWorker({
    db: handle.db,
    workerId: 'test-worker',
    pollMs: 200,
    signal: controller.signal,
    handlers: {
      [RETRIEVE_PACS_STUDY_JOB]: ({ job, reportProgress }) => retrievePacsStudyJob({ db: handle.db, store, client: c, payload: job.payload as RetrievePacsStudyPayload, onProgress: reportProgress }),
    },
    log: (line) => {
      const m = / (done|retry|failed|unrecorded)(:|$)/.exec(line);
      if (m) {
        outcome = m[1]!;
        controller.abort();
      }
    },
  });
  return outcome;
}

const statusOf = (jobId: string) => getPacsRetrieve({ db: handle.db, jobId, userId: fixture.users.coordinator.id });
const spools = () => (existsSync(path.join(storageRoot, 'uploads')) ? readdirSync(path.join(storageRoot, 'uploads')).filter((f) => f.startsWith('pacs-')) : []);

async function rejection(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe(`PACS over DICOMweb with a real Orthanc (${TEST_DRIVER})`, () => {
  it('finds the study by patient ID, accession number and date, lists its series and suggests the mapping', async () => {
    for (const query of [{ patientId: 'MRN-0042' }, { accessionNumber: 'ACC-4242' }, { studyDate: '20261120' }]) {
      const found = await searchPacsStudies({ client, query });
      expect(found.map((s) => s.studyInstanceUid)).toEqual([study.studyInstanceUid]);
    }
    const d = await describePacsStudy({ client, studyInstanceUid: study.studyInstanceUid });
    expect(d.series.map((s) => [s.description, s.instances])).toEqual([
      ['3-PLANE LOC', 3],
      ['SAG T1 MPRAGE', expect.any(Number)],
      ['AX T2 FLAIR', expect.any(Number)],
      ['AX T2 TSE', expect.any(Number)],
      ['SAG T1 MPRAGE POST GD', expect.any(Number)],
    ]);
    expect(Object.fromEntries(Object.entries(d.mapping.roles).map(([r, s]) => [r, s.seriesInstanceUid]))).toEqual(seriesOf(study));
    expect(d.mapping.ignored).toEqual([{ seriesInstanceUid: study.series[0]!.seriesInstanceUid, reason: 'localizer' }]);
  });

  it('retrieves, ingests as an upload would (de-identified), segments, and sends SEG and SR back', async () => {
    const participantId = await participantInArm(true);
    const { jobId } = await queueRetrieve(participantId, study);
    // Queued, not run inside the request: nothing retrieved yet.
    expect(await statusOf(jobId)).toMatchObject({ state: 'queued', instances: 0, error: null, studyId: null });
    await expect(queueRetrieve(participantId, study)).rejects.toThrow(/already queued or running/);
    expect(await workOnce()).toBe('done');
    const status = await statusOf(jobId);
    const instances = study.series.slice(1).reduce((n, s) => n + s.files.length, 0);
    expect(status).toMatchObject({ state: 'done', instances, expectedInstances: instances, error: null });
    const result = { studyId: status.studyId! };
    // Another coordinator cannot follow this retrieve; the same study is not retrieved twice.
    await expect(getPacsRetrieve({ db: handle.db, jobId, userId: fixture.users.statistician.id })).rejects.toThrow(/No such retrieve/);
    await expect(queueRetrieve(participantId, study)).rejects.toThrow(/already retrieved/);
    expect(spools()).toEqual([]);
    const [row] = await handle.db.select().from(studies).where(eq(studies.id, result.studyId));
    // De-identified at the door: the record lists the identifying attributes that were not carried.
    expect(JSON.stringify(row!.deidentification)).toContain('PatientID');
    expect(JSON.stringify(row)).not.toContain('MRN-0042');
    const [link] = await handle.db.select().from(pacsStudySources).where(eq(pacsStudySources.studyId, result.studyId));
    expect(link?.series).toEqual(seriesOf(study));
    expect(await handle.db.select().from(auditLog).where(eq(auditLog.action, 'pacs.study_retrieved'))).toHaveLength(1);

    const job = await claimJob(handle.db, { workerId: 'test-worker', kinds: ['segment-study'], leaseSeconds: 600 });
    const { segmentationId } = await segmentStudyJob({
      db: handle.db,
      store,
      payload: job!.payload as SegmentStudyPayload,
      settings: { providers: ['cpu'], threads: 1, tta: false },
      onProgress: async () => {},
    });
    // The statistician's list offers this AI result (an AI-assisted case) for download and sending.
    const listed = await listExportableResults({ db: handle.db, trialId: fixture.trialId });
    expect(listed.map((x) => [x.studyId, x.results.map((r) => [r.source, r.mayLeave])])).toEqual([[result.studyId, [[{ kind: 'ai', segmentationId }, true]]]]);
    const sent = await sendResults({
      db: handle.db,
      store,
      client,
      source: { kind: 'ai', segmentationId },
      target: 'pacs',
      actor: { userId: fixture.users.statistician.id, role: 'statistician' },
      request,
    });
    const series = await client.searchSeries(study.studyInstanceUid, { includefield: '00080060,0008103E' });
    const modalities = series.map((s) => firstValue(s, '00080060')).sort();
    expect(modalities).toEqual(['MR', 'MR', 'MR', 'MR', 'MR', 'SEG', 'SR']);
    const segSeries = series.find((s) => firstValue(s, '00080060') === 'SEG')!;
    const [seg] = await client.searchInstances(study.studyInstanceUid, firstValue(segSeries, '0020000E'));
    expect(firstValue(seg!, '00080018')).toBe(sent.seg.sopInstanceUid);
    const [segmentation] = await handle.db.select().from(segmentations).where(eq(segmentations.id, segmentationId));
    const volumes = segmentation!.volumesMl as Record<string, number>;
    // The SR's volumes are the platform's, counted on the source grid.
    for (const [label, key] of [
      [1, 'edema'],
      [2, 'non_enhancing_tumor'],
      [3, 'enhancing_tumor'],
    ] as const)
      expect(sent.sr.volumesMl[label]).toBeCloseTo(volumes[key]!, 3);
  }, 480_000);

  it('never lets a control-arm AI result leave while the trial is blinded', async () => {
    // A control-arm case with a stored AI result (shadow mode): the first case's study and result
    // copied onto a control-arm participant, rather than a second two-minute ingest and inference.
    const participantId = await participantInArm(false);
    const [participant] = await handle.db.select().from(participants).where(eq(participants.id, participantId));
    const [source] = await handle.db.select().from(segmentations).limit(1);
    const [sourceStudy] = await handle.db.select().from(studies).where(eq(studies.id, source!.studyId));
    const [link] = await handle.db.select().from(pacsStudySources).where(eq(pacsStudySources.studyId, source!.studyId));
    const [copy] = await handle.db
      .insert(studies)
      .values({
        trialId: sourceStudy!.trialId,
        siteId: participant!.siteId,
        participantId,
        grid: sourceStudy!.grid,
        registration: sourceStudy!.registration,
        deidentification: sourceStudy!.deidentification,
      })
      .returning();
    await handle.db.insert(pacsStudySources).values({ studyId: copy!.id, studyInstanceUid: link!.studyInstanceUid, series: link!.series });
    const { id: _id, createdAt: _c, ...rest } = source!;
    const [shadow] = await handle.db
      .insert(segmentations)
      .values({ ...rest, studyId: copy!.id, blinded: true })
      .returning();
    // Listed as staying on the platform (no buttons), not hidden.
    const listed = (await listExportableResults({ db: handle.db, trialId: fixture.trialId })).find((x) => x.studyId === copy!.id);
    expect(listed?.results.map((r) => r.mayLeave)).toEqual([false]);
    const before = (await client.searchSeries(study.studyInstanceUid)).length;
    for (const target of ['pacs', 'download'] as const) {
      const e = await rejection(
        sendResults({ db: handle.db, store, client, source: { kind: 'ai', segmentationId: shadow!.id }, target, actor: { userId: fixture.users.statistician.id, role: 'statistician' }, request }),
      );
      expect(e.code).toBe('INVALID_STATE');
      expect(e.message).toBe(RESULT_WITHHELD);
    }
    expect((await client.searchSeries(study.studyInstanceUid)).length).toBe(before);
  });

  it('refuses a series with a missing slice, naming series and slice, and stores nothing', async () => {
    const participantId = (await enrollDemoParticipant(handle.db, fixture)).id;
    const { jobId } = await queueRetrieve(participantId, broken);
    expect(await workOnce()).toBe('failed');
    const status = await statusOf(jobId);
    expect(status).toMatchObject({ state: 'failed', attempts: 1, studyId: null });
    expect(status.error?.code).toBe('INVALID_INPUT');
    expect(status.error?.message).toContain('AX T2 TSE');
    expect(status.error?.message).toMatch(/between instance 19 .* and instance 21 /);
    // The participant's page finds it again after a reload (any coordinator of the site).
    expect(await listPacsRetrieves({ db: handle.db, access: await accessAs('coordinator'), participantId })).toEqual([status]);
    const refused = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'pacs.retrieve_refused'));
    expect(refused.map((r) => r.entityId)).toEqual([participantId]);
    expect(await handle.db.select().from(studies).where(eq(studies.participantId, participantId))).toEqual([]);
    expect(spools()).toEqual([]);
  });

  it('retries a PACS that is down or silent (PACS_UNAVAILABLE) with nothing ingested or left behind, then reaches it', async () => {
    const participantId = (await enrollDemoParticipant(handle.db, fixture)).id;
    // Down: a port nobody listens on.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = createDicomWebClient({ url: `http://127.0.0.1:${port}/dicom-web`, timeoutMs: 2000 });
    expect((await rejection(searchPacsStudies({ client: down, query: { patientId: 'X' } }))).code).toBe('PACS_UNAVAILABLE');
    // The broken study: once the PACS answers, the retry ends in the missing-slice refusal (no ingest to wait for).
    const { jobId } = await queueRetrieve(participantId, broken);
    expect(await workOnce(down)).toBe('retry');
    expect(await statusOf(jobId)).toMatchObject({ state: 'queued', attempts: 1, error: { code: 'PACS_UNAVAILABLE' } });
    // Silent mid-transfer: headers and one instance, then nothing.
    const first = study.series[1]!.files[0]!.bytes;
    const stall: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'multipart/related; type="application/dicom"; boundary=b0' });
      res.write(Buffer.concat([Buffer.from('--b0\r\nContent-Type: application/dicom\r\n\r\n'), Buffer.from(first), Buffer.from('\r\n')]));
    });
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
    const slow = createDicomWebClient({ url: `http://127.0.0.1:${(stall.address() as { port: number }).port}/dicom-web`, timeoutMs: 1000 });
    try {
      expect(await workOnce(slow)).toBe('retry');
      const status = await statusOf(jobId);
      expect(status).toMatchObject({ state: 'queued', attempts: 2, error: { code: 'PACS_UNAVAILABLE' } });
      expect(status.error?.message).toContain('no data for 1000 ms');
    } finally {
      stall.closeAllConnections();
      await new Promise<void>((r) => stall.close(() => r()));
    }
    expect(spools()).toEqual([]);
    expect(await handle.db.select().from(studies).where(eq(studies.participantId, participantId))).toEqual([]);
    // The PACS is back: the third attempt reaches it (and refuses the study's incomplete T2).
    expect(await workOnce(client)).toBe('failed');
    expect(await statusOf(jobId)).toMatchObject({ state: 'failed', attempts: 3, error: { code: 'INVALID_INPUT' } });
    expect(spools()).toEqual([]);
  });
});
