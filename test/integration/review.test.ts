import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, caseReviews, clinicianDecisions, electronicSignatures, segmentationReviews, segmentations } from '../../db/schema';
import { decodeNifti } from '../../imaging/nifti/read-nifti';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { labelVolumesMl } from '../../models/runtime/label-volumes';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import { loginUser } from '../../server/domain/auth/login-user';
import { AI_NOT_AVAILABLE } from '../../server/domain/review/load-ai-segmentation';
import { CASE_NOT_FOUND } from '../../server/domain/review/load-review-case';
import { DECISION_SIGNATURE_MEANING } from '../../server/domain/review/signature-meaning';
import { handleCaseFileRequest, handleEditedLabelsUpload } from '../../server/http/review-files';
import { handleTrpcRequest } from '../../server/http/trpc-handler';
import { callerFor, type DemoUsers } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { createReviewCase, registerTestModel, type ReviewCaseFixture } from './support/review-cases';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-review-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);
const ORIGIN = 'http://127.0.0.1:3000';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let assisted: ReviewCaseFixture;
let control: ReviewCaseFixture;
/** An assisted-arm case whose AI result is not ready yet (no segmentation job run). */
let assistedPending: ReviewCaseFixture;
let siteB: ReviewCaseFixture;
const cookies: Record<string, string> = {};

const decision = { tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', probabilityHighGrade: 80, confidence: 4, note: 'Ring-enhancing lesion, right frontal.' } as const;

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await registerTestModel(handle.db, store);
  assisted = await createReviewCase(handle.db, fixture, { store, arm: 'ai_assisted' });
  control = await createReviewCase(handle.db, fixture, { store, arm: 'control' });
  assistedPending = await createReviewCase(handle.db, fixture, { store, arm: 'ai_assisted', segment: false });
  siteB = await createReviewCase(handle.db, fixture, { store, arm: 'ai_assisted', siteCode: 'site-b' });
  for (const username of ['clinician', 'clinician-b', 'coordinator']) {
    const { token } = await loginUser({ db: handle.db, username, password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } });
    cookies[username] = `segtrial_session=${token}`;
  }
}, 900_000);
afterAll(() => handle.close());

const clinician = () => callerFor(handle.db, fixture.users.clinician);
const clinicianB = () => callerFor(handle.db, fixture.users.clinicianB);

function fileRequest(username: string, caseId: string, kind: string) {
  return handleCaseFileRequest({ db: handle.db, req: new Request(`${ORIGIN}/api/review/cases/${caseId}/files/${kind}`, { headers: { cookie: cookies[username]! } }), caseId, kind });
}

function uploadEdit(username: string, caseId: string, bytes: Uint8Array) {
  return handleEditedLabelsUpload({
    db: handle.db,
    req: new Request(`${ORIGIN}/api/review/cases/${caseId}/labels`, {
      method: 'POST',
      headers: { cookie: cookies[username]!, 'x-segtrial-request': '1', host: '127.0.0.1:3000' },
      body: new Uint8Array(bytes),
    }),
    caseId,
  });
}

/** The database refused the statement (the driver wraps the trigger's message in its cause). */
async function expectRefused(statement: PromiseLike<unknown>) {
  const error = await Promise.resolve(statement).then(
    () => null,
    (e: unknown) => e as Error & { cause?: Error },
  );
  expect(error, 'the statement should have been refused').not.toBeNull();
  expect(`${error!.message} ${error!.cause?.message ?? ''}`).toMatch(/append-only|refused/);
}

/** A query through the real HTTP tRPC handler, as the browser sends it: the whole response body. */
async function trpcQuery(username: string, procedure: string, input: unknown) {
  const url = `${ORIGIN}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await handleTrpcRequest({ db: handle.db, req: new Request(url, { headers: { cookie: cookies[username]!, host: '127.0.0.1:3000' } }) });
  return { status: res.status, body: await res.text() };
}

describe(`clinician review: worklist and access by site (${TEST_DRIVER})`, () => {
  it("lists the clinician's site's randomized cases with a study, and nothing that tells arms apart", async () => {
    const rows = await clinician().review.worklist();
    const ids = rows.map((r) => r.caseId);
    expect(ids).toEqual(expect.arrayContaining([assisted.caseId, control.caseId, assistedPending.caseId]));
    expect(ids).not.toContain(siteB.caseId);
    expect(rows.every((r) => r.site === 'site-a' && r.status === 'new')).toBe(true);
    // Same keys and no arm, AI or model field on any row, whatever the arm.
    const keySets = new Set(rows.map((r) => Object.keys(r).sort().join(',')));
    expect(keySets.size).toBe(1);
    expect([...keySets][0]).toBe('caseId,ingestedAt,openedAt,participantCode,participantWithdrawn,signedAt,site,status,trialId,trialName');
    expect(JSON.stringify(rows.map(({ trialName: _, ...rest }) => rest))).not.toMatch(/assist|control|arm"|pointwise|segment/i);
    expect((await clinicianB().review.worklist()).map((r) => r.caseId)).toEqual([siteB.caseId]);
  });

  it('filters by status, site and participant code', async () => {
    expect((await clinician().review.worklist({ search: control.participantCode })).map((r) => r.caseId)).toEqual([control.caseId]);
    expect(await clinician().review.worklist({ siteCode: 'site-b' })).toEqual([]);
    expect(await clinician().review.worklist({ status: 'signed' })).toEqual([]);
    expect((await clinician().review.worklist({ status: 'new' })).length).toBeGreaterThanOrEqual(3);
  });

  it('refuses other roles', async () => {
    for (const user of [fixture.users.coordinator, fixture.users.statistician, fixture.users.admin]) {
      await expect(callerFor(handle.db, user).review.worklist()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(callerFor(handle.db, user).review.aiSegmentation({ caseId: assisted.caseId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await fileRequest('coordinator', assisted.caseId, 'ai-labels')).status).toBe(403);
  });

  it("answers another site's case exactly like a case that does not exist", async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const procedure of ['case', 'aiSegmentation'] as const) {
      await expect(clinicianB().review[procedure]({ caseId: assisted.caseId })).rejects.toMatchObject({ code: 'NOT_FOUND', message: CASE_NOT_FOUND });
      const foreign = await trpcQuery('clinician-b', `review.${procedure}`, { caseId: assisted.caseId });
      const missing = await trpcQuery('clinician-b', `review.${procedure}`, { caseId: unknown });
      expect(foreign.status).toBe(404);
      expect(foreign).toEqual(missing);
    }
    await expect(clinicianB().review.open({ caseId: assisted.caseId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(clinicianB().review.sign({ caseId: assisted.caseId, decision, password: DEMO_PASSWORD })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const kind of ['flair', 'ai-labels']) {
      const foreign = await fileRequest('clinician-b', assisted.caseId, kind);
      const missing = await fileRequest('clinician-b', unknown, kind);
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).toBe(await missing.text());
    }
  });
});

describe(`clinician review: the control arm never receives AI output (${TEST_DRIVER})`, () => {
  it('has a shadow-mode segmentation on the server for the control case', async () => {
    const rows = await handle.db.select().from(segmentations).where(eq(segmentations.studyId, control.caseId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.blinded).toBe(true);
  });

  it('refuses AI metadata with the same answer as an assisted case whose result is not ready', async () => {
    await expect(clinician().review.aiSegmentation({ caseId: control.caseId })).rejects.toMatchObject({ code: 'NOT_FOUND', message: AI_NOT_AVAILABLE });
    const refused = await trpcQuery('clinician', 'review.aiSegmentation', { caseId: control.caseId });
    const pending = await trpcQuery('clinician', 'review.aiSegmentation', { caseId: assistedPending.caseId });
    expect(refused.status).toBe(404);
    expect(refused).toEqual(pending);
    const [shadow] = await handle.db.select().from(segmentations).where(eq(segmentations.studyId, control.caseId));
    expect(refused.body).not.toContain(shadow!.labelsSha256);
    expect(refused.body).not.toMatch(/pointwise|blind|shadow|control|arm/i);
  });

  it('refuses the label map over HTTP, whatever kind is asked for, and serves the sequences', async () => {
    for (const kind of ['ai-labels', 'edited-labels']) {
      const res = await fileRequest('clinician', control.caseId, kind);
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).toBe(await (await fileRequest('clinician', assistedPending.caseId, kind)).text());
      expect(JSON.parse(body)).toEqual({ error: { code: 'NOT_FOUND', message: AI_NOT_AVAILABLE } });
    }
    expect((await fileRequest('clinician', control.caseId, 'labels')).status).toBe(404);
    expect((await fileRequest('clinician', control.caseId, '..%2Fai-labels')).status).toBe(404);
    const flair = await fileRequest('clinician', control.caseId, 'flair');
    expect(flair.status).toBe(200);
    const bytes = new Uint8Array(await flair.arrayBuffer());
    const view = await clinician().review.case({ caseId: control.caseId });
    expect((await decodeNifti(bytes)).dims).toEqual(view.grid.dims);
    expect(Number(flair.headers.get('content-length'))).toBe(bytes.length);
  });

  it('shows no AI state, volumes or model in the case view, and refuses accept/reject/edit', async () => {
    await clinician().review.open({ caseId: control.caseId });
    const view = await clinician().review.case({ caseId: control.caseId });
    expect(view.aiAssistance).toBe('none');
    expect(view.latestAiReview).toBeNull();
    const [shadow] = await handle.db.select().from(segmentations).where(eq(segmentations.studyId, control.caseId));
    expect(JSON.stringify(view)).not.toContain(shadow!.labelsSha256);
    expect(JSON.stringify(view)).not.toMatch(/pointwise|volumesMl|riskHighGrade/);
    await expect(clinician().review.reviewSegmentation({ caseId: control.caseId, outcome: 'accepted' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: AI_NOT_AVAILABLE });
    const labels = await store.get(shadow!.labelsSha256);
    const res = await uploadEdit('clinician', control.caseId, labels);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: AI_NOT_AVAILABLE } });
    expect(await handle.db.select().from(segmentationReviews)).toEqual([]);
  });

  it('signs a control-arm decision without any AI outcome', async () => {
    const signed = await clinician().review.sign({
      caseId: control.caseId,
      // No tumour seen: the trial's edit checks ask no grade and no probability of high grade.
      decision: { ...decision, tumourPresent: false, suspectedGrade: null, probabilityHighGrade: null, managementPlan: 'surveillance' },
      password: DEMO_PASSWORD,
    });
    const [row] = await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.id, signed.decisionId));
    expect(row).toMatchObject({ tumourPresent: false, suspectedGrade: null, segmentationReviewId: null });
  });
});

describe(`clinician review: assisted arm, AI review, signature, corrections (${TEST_DRIVER})`, () => {
  it('serves the AI label map, model and volumes per label and region for the assisted arm', async () => {
    const ai = await clinician().review.aiSegmentation({ caseId: assisted.caseId });
    expect(ai.model).toMatchObject({ name: 'pointwise-test', version: '1' });
    const res = await fileRequest('clinician', assisted.caseId, 'ai-labels');
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes).toEqual(await store.get(ai.labelsSha256));
    const labels = await decodeNifti(bytes);
    const recomputed = labelVolumesMl(Uint8Array.from(labels.data), labels.spacing);
    for (const key of ['edema', 'non_enhancing_tumor', 'enhancing_tumor', 'WT', 'TC', 'ET'] as const) expect(ai.volumesMl[key]).toBeCloseTo(recomputed[key], 6);
    expect(ai.volumesMl.WT).toBeGreaterThan(0);
    expect(ai.volumesMl.WT).toBeCloseTo(ai.volumesMl.edema + ai.volumesMl.non_enhancing_tumor + ai.volumesMl.enhancing_tumor, 6);
    expect((await clinician().review.case({ caseId: assisted.caseId })).aiAssistance).toBe('available');
  });

  it('opens once (time on task starts at the first opening) and moves the case to in review', async () => {
    const first = await clinician().review.open({ caseId: assisted.caseId });
    const again = await clinician().review.open({ caseId: assisted.caseId });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, openedAt: first.openedAt });
    expect((await clinician().review.worklist({ status: 'in_review' })).map((r) => r.caseId)).toContain(assisted.caseId);
    const opened = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'review.opened'), eq(auditLog.entityId, assisted.caseId)));
    expect(opened).toHaveLength(1);
  });

  it('needs the AI outcome before signing, and a correct password', async () => {
    await expect(clinician().review.sign({ caseId: assisted.caseId, decision, password: DEMO_PASSWORD })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('Accept, edit or reject'),
    });
    const accepted = await clinician().review.reviewSegmentation({ caseId: assisted.caseId, outcome: 'accepted' });
    expect((await clinician().review.reviewSegmentation({ caseId: assisted.caseId, outcome: 'accepted' })).id).toBe(accepted.id);
    await expect(clinician().review.sign({ caseId: assisted.caseId, decision, password: 'not-my-password' })).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'SIGNATURE_REJECTED' } });
    const failed = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'review.signature_failed'));
    expect(failed.at(-1)).toMatchObject({ entityId: assisted.caseId, actorUserId: fixture.users.clinician.id });
    expect(await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.studyId, assisted.caseId))).toEqual([]);
  });

  it('signs with name, UTC time and meaning; a repeat is idempotent; a change needs a correction', async () => {
    const signed = await clinician().review.sign({ caseId: assisted.caseId, decision, password: DEMO_PASSWORD });
    expect(signed.created).toBe(true);
    const repeat = await clinician().review.sign({ caseId: assisted.caseId, decision, password: DEMO_PASSWORD });
    expect(repeat).toEqual({ decisionId: signed.decisionId, created: false });
    await expect(clinician().review.sign({ caseId: assisted.caseId, decision: { ...decision, probabilityHighGrade: 20 }, password: DEMO_PASSWORD })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('correction'),
    });
    await expect(clinician().review.reviewSegmentation({ caseId: assisted.caseId, outcome: 'rejected' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    const view = await clinician().review.case({ caseId: assisted.caseId });
    expect(view.status).toBe('signed');
    expect(view.decisions).toHaveLength(1);
    const [d] = view.decisions;
    expect(d).toMatchObject({
      current: true,
      aiOutcome: 'accepted',
      probabilityHighGrade: 80,
      signature: { signerName: 'Dr. Clara Clinician', signerUsername: 'clinician', meaning: DECISION_SIGNATURE_MEANING },
    });
    expect(d!.timeOnTaskMs).toBe(view.signedAt!.getTime() - view.openedAt!.getTime());
    expect(d!.signature.signedAt.toISOString()).toBe(view.signedAt!.toISOString());
    expect((await clinician().review.worklist({ status: 'signed' })).map((r) => r.caseId)).toEqual(expect.arrayContaining([assisted.caseId, control.caseId]));
    const [audit] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'review.signed'), eq(auditLog.entityId, signed.decisionId)));
    expect(audit?.after).toMatchObject({ caseId: assisted.caseId, signerName: 'Dr. Clara Clinician', meaning: DECISION_SIGNATURE_MEANING, decision: { probabilityHighGrade: 80 } });
  });

  it('the database refuses to change or remove a signed decision, its signature or the AI outcome', async () => {
    const [row] = await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.studyId, assisted.caseId));
    await expectRefused(handle.db.update(clinicianDecisions).set({ probabilityHighGrade: 10 }).where(eq(clinicianDecisions.id, row!.id)));
    await expectRefused(handle.db.delete(clinicianDecisions).where(eq(clinicianDecisions.id, row!.id)));
    await expectRefused(handle.db.update(electronicSignatures).set({ signerName: 'Someone else' }).where(eq(electronicSignatures.id, row!.signatureId)));
    await expectRefused(handle.db.execute(sql`truncate clinician_decisions cascade`));
    await expectRefused(handle.db.update(segmentationReviews).set({ outcome: 'rejected' }).where(eq(segmentationReviews.id, row!.segmentationReviewId!)));
    await expectRefused(handle.db.update(caseReviews).set({ status: 'in_review', signedAt: null }).where(eq(caseReviews.studyId, assisted.caseId)));
    const [after] = await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.id, row!.id));
    expect(after).toEqual(row);
  });

  it('corrects a signed decision with a new linked, signed, audited record; both are kept', async () => {
    const [original] = await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.studyId, assisted.caseId));
    const input = {
      caseId: assisted.caseId,
      supersedesId: original!.id,
      decision: { ...decision, managementPlan: 'biopsy' as const },
      reason: 'Lesion is deep-seated: biopsy first.',
      password: DEMO_PASSWORD,
    };
    const corrected = await clinician().review.correct(input);
    expect(corrected.created).toBe(true);
    expect(await clinician().review.correct(input)).toEqual({ decisionId: corrected.decisionId, created: false });
    await expect(clinician().review.correct({ ...input, reason: 'Another second thought.' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const view = await clinician().review.case({ caseId: assisted.caseId });
    expect(view.decisions.map((d) => [d.managementPlan, d.current, d.supersedesId])).toEqual([
      ['resection', false, null],
      ['biopsy', true, original!.id],
    ]);
    expect(view.decisions[1]).toMatchObject({ correctionReason: input.reason, aiOutcome: 'accepted', timeOnTaskMs: null });
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'review.corrected'));
    expect(audit).toMatchObject({ entityId: corrected.decisionId, before: { decisionId: original!.id } });
    expect((await verifyAuditChain({ db: handle.db })).ok).toBe(true);
  });
});

describe(`clinician review: edited label maps (${TEST_DRIVER})`, () => {
  let editCase: ReviewCaseFixture;
  beforeAll(async () => {
    editCase = await createReviewCase(handle.db, fixture, { store, arm: 'ai_assisted' });
    await clinician().review.open({ caseId: editCase.caseId });
  }, 300_000);

  it('stores the edit as a new version beside the original, with its volumes', async () => {
    const ai = await clinician().review.aiSegmentation({ caseId: editCase.caseId });
    const original = await decodeNifti(await store.get(ai.labelsSha256));
    const data = Uint8Array.from(original.data);
    let erased = 0;
    for (let i = 0; i < data.length; i++)
      if (data[i] === 1 && erased < 50) {
        data[i] = 0;
        erased += 1;
      }
    data[0] = 3;
    const editedBytes = encodeNifti({ ...original, data }, { datatype: 'uint8' });
    const res = await uploadEdit('clinician', editCase.caseId, editedBytes);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { editedLabelsSha256: string; editedVolumesMl: Record<string, number> };
    expect(body.editedLabelsSha256).not.toBe(ai.labelsSha256);
    expect(await store.has(ai.labelsSha256)).toBe(true);
    const stored = await decodeNifti(await store.get(body.editedLabelsSha256));
    expect(Uint8Array.from(stored.data)).toEqual(data);
    expect(body.editedVolumesMl).toEqual(labelVolumesMl(data, original.spacing));
    expect(body.editedVolumesMl.edema).toBeCloseTo(ai.volumesMl.edema - (50 * original.spacing[0] * original.spacing[1] * original.spacing[2]) / 1000, 6);
    // The same bytes gzip-compressed are the same edit: no second row.
    const again = await uploadEdit('clinician', editCase.caseId, new Uint8Array(gzipSync(editedBytes)));
    expect(again.status).toBe(200);
    const served = await fileRequest('clinician', editCase.caseId, 'edited-labels');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(await store.get(body.editedLabelsSha256));
    expect(new Uint8Array(await (await fileRequest('clinician', editCase.caseId, 'ai-labels')).arrayBuffer())).toEqual(await store.get(ai.labelsSha256));
    expect((await clinician().review.case({ caseId: editCase.caseId })).latestAiReview).toMatchObject({ outcome: 'edited' });
  });

  it('refuses a label map on another grid or with labels outside 0..3, recording nothing', async () => {
    const ai = await clinician().review.aiSegmentation({ caseId: editCase.caseId });
    const original = await decodeNifti(await store.get(ai.labelsSha256));
    const before = await handle.db.select().from(segmentationReviews);
    const wrongLabel = Uint8Array.from(original.data);
    wrongLabel[10] = 7;
    const cases = [
      { bytes: encodeNifti({ ...original, data: wrongLabel }, { datatype: 'uint8' }), field: 'labels' },
      { bytes: encodeNifti({ dims: [8, 8, 8], spacing: [4, 4, 4], affine: original.affine, data: new Uint8Array(512) }, { datatype: 'uint8' }), field: 'dims' },
      { bytes: encodeNifti({ ...original, affine: original.affine.map((v, i) => (i === 3 ? v + 4 : v)), data: Uint8Array.from(original.data) }, { datatype: 'uint8' }), field: 'affine' },
      { bytes: new TextEncoder().encode('not a label map'), field: undefined },
    ];
    for (const c of cases) {
      const res = await uploadEdit('clinician', editCase.caseId, c.bytes);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; field?: string } };
      expect(body.error.code).toBe('INVALID_INPUT');
      if (c.field) expect(body.error.field).toBe(c.field);
    }
    expect(await handle.db.select().from(segmentationReviews)).toEqual(before);
    const noHeader = await handleEditedLabelsUpload({
      db: handle.db,
      req: new Request(`${ORIGIN}/api/review/cases/${editCase.caseId}/labels`, { method: 'POST', headers: { cookie: cookies.clinician! }, body: new Uint8Array(4) }),
      caseId: editCase.caseId,
    });
    expect(noHeader.status).toBe(403);
  });

  it('signs with the edit as the AI outcome', async () => {
    await clinician().review.sign({ caseId: editCase.caseId, decision, password: DEMO_PASSWORD });
    const view = await clinician().review.case({ caseId: editCase.caseId });
    expect(view.decisions[0]).toMatchObject({ aiOutcome: 'edited', current: true });
  });
});

describe(`clinician review: wrong signature passwords lock the account (${TEST_DRIVER})`, () => {
  it('locks after five wrong passwords, like failed logins', async () => {
    // The site-b case: its AI result is ready, so signing reaches the password check.
    const { caseId } = siteB;
    await clinicianB().review.open({ caseId });
    for (let i = 0; i < 4; i++) await expect(clinicianB().review.sign({ caseId, decision, password: `wrong-${i}` })).rejects.toMatchObject({ cause: { code: 'SIGNATURE_REJECTED' } });
    await expect(clinicianB().review.sign({ caseId, decision, password: 'wrong-4' })).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'ACCOUNT_LOCKED' } });
    await expect(clinicianB().review.sign({ caseId, decision, password: DEMO_PASSWORD })).rejects.toMatchObject({ cause: { code: 'ACCOUNT_LOCKED' } });
    const [lockedAttempt] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'review.signature_failed'), eq(auditLog.entityId, caseId)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(lockedAttempt?.after).toEqual({ reason: 'locked' });
    await expect(loginUser({ db: handle.db, username: 'clinician-b', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } })).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(await handle.db.select().from(clinicianDecisions).where(eq(clinicianDecisions.studyId, caseId))).toEqual([]);
    const [locked] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'user.locked'));
    expect(locked).toMatchObject({ actorUserId: fixture.users.clinicianB.id, after: { during: 'signature' } });
  });
});
