import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagingVisits, ranoAssessments, segmentations, studies } from '../../db/schema';
import { decodeNifti } from '../../imaging/nifti/read-nifti';
import { assessRanoResponse } from '../../imaging/rano/assess-rano-response';
import { measureEnhancingLesions } from '../../imaging/rano/measure-enhancing-lesions';
import { createContentStore } from '../../imaging/storage/content-store';
import { applyAffine } from '../../imaging/volume';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import { loginUser } from '../../server/domain/auth/login-user';
import { loadParticipantVisits } from '../../server/domain/followup/load-participant-visits';
import { recordImagingVisit } from '../../server/domain/followup/record-imaging-visit';
import { listSurvivalOutcomes } from '../../server/domain/outcomes/list-survival-outcomes';
import { resolveTrialAccess } from '../../server/domain/trials/trial-access';
import { handlePriorFileRequest } from '../../server/http/followup-files';
import { handleTrpcRequest } from '../../server/http/trpc-handler';
import { callerFor, type DemoUsers } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { attachTinyStudy, createReviewCase, registerTestModel, type ReviewCaseFixture } from './support/review-cases';
import { openTestDatabase } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-followup-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);
const ORIGIN = 'http://127.0.0.1:3000';
/** Dates relative to today: the participants are randomized today, and follow-up scans may not precede randomization. */
const TODAY = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let assisted: ReviewCaseFixture & { followupId: string };
let control: ReviewCaseFixture & { followupId: string };
const cookies: Record<string, string> = {};

const coordinator = () => callerFor(handle.db, fixture.users.coordinator);
const clinician = () => callerFor(handle.db, fixture.users.clinician);

/** A participant with a baseline (the case created) and one follow-up study, both segmented. */
async function withFollowup(arm: string): Promise<ReviewCaseFixture & { followupId: string }> {
  const c = await createReviewCase(handle.db, fixture, { store, arm });
  const followupId = await attachTinyStudy(handle.db, fixture, { store, participantId: c.participantId });
  return { ...c, followupId };
}

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await registerTestModel(handle.db, store);
  assisted = await withFollowup('ai_assisted');
  control = await withFollowup('control');
  for (const username of ['clinician']) {
    const { token } = await loginUser({ db: handle.db, username, password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } });
    cookies[username] = `segtrial_session=${token}`;
  }
}, 900_000);
afterAll(() => handle.close());

function priorFile(caseId: string, visitCode: string, kind: string) {
  return handlePriorFileRequest({
    db: handle.db,
    req: new Request(`${ORIGIN}/api/followup/cases/${caseId}/visits/${visitCode}/${kind}`, { headers: { cookie: cookies.clinician! } }),
    caseId,
    visitCode,
    kind,
  });
}

async function trpcQuery(username: string, procedure: string, input: unknown) {
  const url = `${ORIGIN}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await handleTrpcRequest({ db: handle.db, req: new Request(url, { headers: { cookie: cookies[username]!, host: '127.0.0.1:3000' } }) });
  return { status: res.status, body: await res.text() };
}

describe('imaging visits', () => {
  it('a follow-up needs the baseline first; the baseline dates the windows; a follow-up is registered to it', async () => {
    const input = { trialId: fixture.trialId, participantId: assisted.participantId };
    await expect(coordinator().followup.recordVisit({ ...input, visitCode: 'fu1', studyId: assisted.followupId, scannedOn: TODAY })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const base = await coordinator().followup.recordVisit({ ...input, visitCode: 'baseline', studyId: assisted.caseId, scannedOn: day(-64) });
    expect(base).toMatchObject({ dueOn: day(-64), status: 'in_window', registration: null });
    // fu1 is due at day 56 (8 days ago), ±7 days: today is late.
    const fu1 = await coordinator().followup.recordVisit({ ...input, visitCode: 'fu1', studyId: assisted.followupId, scannedOn: TODAY });
    expect(fu1).toMatchObject({ dueOn: day(-8), status: 'late', daysFromDue: 8 });
    expect(fu1.registration).not.toBeNull();
    expect(typeof fu1.registration!.ok).toBe('boolean');
    const [row] = await handle.db.select().from(imagingVisits).where(eq(imagingVisits.studyId, assisted.followupId));
    expect((row!.registration as { followupToBaselineWorld: number[] }).followupToBaselineWorld).toHaveLength(16);
    // A follow-up scan before randomization (the participant was randomized today) or in the future is refused, naming the field.
    const refused = (scannedOn: string) => coordinator().followup.recordVisit({ ...input, visitCode: 'fu1', studyId: assisted.followupId, scannedOn });
    await expect(refused(day(-1))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^scannedOn: .*before randomization/) });
    await expect(refused(day(1))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^scannedOn: .*in the future/) });
    // A corrected baseline date (the post-radiotherapy scan may precede randomization) re-dates the window: fu1 is in it.
    await coordinator().followup.recordVisit({ ...input, visitCode: 'baseline', studyId: assisted.caseId, scannedOn: day(-56) });
    expect(await refused(TODAY)).toMatchObject({ status: 'in_window', dueOn: TODAY, daysFromDue: 0 });
  });

  it('unknown visits and the baseline as missed are refused; a closed window without a scan is missed', async () => {
    const input = { trialId: fixture.trialId, participantId: assisted.participantId };
    await expect(coordinator().followup.recordVisit({ ...input, visitCode: 'fu9', studyId: null, scannedOn: null })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(coordinator().followup.recordVisit({ ...input, visitCode: 'baseline', studyId: null, scannedOn: null })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // fu2 is due in 56 days: its window is open, so it cannot be missed yet.
    await expect(coordinator().followup.recordVisit({ ...input, visitCode: 'fu2', studyId: null, scannedOn: null })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // 200 days on (the domain function takes the date the app reads from the clock), fu2 is missed.
    const access = await resolveTrialAccess({ db: handle.db, user: fixture.users.coordinator, trialId: fixture.trialId });
    const later = day(200);
    const actor = { userId: fixture.users.coordinator.id, role: 'coordinator' };
    expect(
      (await recordImagingVisit({ db: handle.db, store, access, ...input, visitCode: 'fu2', studyId: null, scannedOn: null, today: later, actor, request: { via: 'system' } })).window,
    ).toMatchObject({ status: 'missed' });
    const visits = await loadParticipantVisits({ db: handle.db, ...input, today: later });
    expect(visits.map((v) => [v.visitCode, v.status])).toEqual(
      expect.arrayContaining([
        ['baseline', 'in_window'],
        ['fu1', 'in_window'],
        ['fu2', 'missed'],
      ]),
    );
    // Nobody recorded fu3 (due at day 168, ±14 days): its window has closed by then, so it shows as missed too.
    expect(visits.find((v) => v.visitCode === 'fu3')).toMatchObject({ status: 'missed', visitId: null });
    await expect(clinician().followup.recordVisit({ ...input, visitCode: 'fu2', studyId: null, scannedOn: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('RANO assessment on the assisted arm', () => {
  it('the case shows AI volumes per visit and the suggestion computed from the AI label maps', async () => {
    const view = await clinician().followup.case({ caseId: assisted.followupId });
    expect(view).toMatchObject({ visitCode: 'fu1', isFollowUp: true });
    expect(view.priors[0]).toMatchObject({ kind: 'baseline', studyId: assisted.caseId });
    expect(view.ai).not.toBeNull();
    expect(view.ai!.volumes.map((v) => v.visitCode)).toEqual(['baseline', 'fu1']);
    const s = view.ai!.suggestion!;
    expect(s.visits.map((v) => v.visit)).toEqual(['baseline', 'fu1']);
    // The same computation done here from the stored AI label maps and the recorded registration.
    const labelsOf = async (studyId: string) => {
      const [seg] = await handle.db.select().from(segmentations).where(eq(segmentations.studyId, studyId));
      return measureEnhancingLesions({ labels: await decodeNifti(await store.get(seg!.labelsSha256)) });
    };
    const [fuVisit] = await handle.db.select().from(imagingVisits).where(eq(imagingVisits.studyId, assisted.followupId));
    const toBase = (fuVisit!.registration as { followupToBaselineWorld: number[] }).followupToBaselineWorld;
    const fu = await labelsOf(assisted.followupId);
    const expected = assessRanoResponse([
      { visit: 'baseline', measurement: await labelsOf(assisted.caseId) },
      { visit: 'fu1', measurement: { ...fu, lesions: fu.lesions.map((l) => ({ ...l, centroidMm: applyAffine(toBase, l.centroidMm) })) } },
    ]).timepoints[1]!;
    expect(s.visits[1]).toMatchObject({ category: expected.category, rule: expected.rule, sumProductsMm2: expected.sumProductsMm2 });
    expect(['CR', 'PR', 'SD', 'PD']).toContain(s.visits[1]!.category);
  });

  it('overriding the suggestion needs a reason; signed once; again with the same content changes nothing; a correction supersedes', async () => {
    const view = await clinician().followup.case({ caseId: assisted.followupId });
    const suggested = view.ai!.suggestion!.visits[1]!.category!;
    const other = suggested === 'PD' ? 'SD' : 'PD';
    await expect(clinician().followup.signRano({ caseId: assisted.followupId, category: other, password: DEMO_PASSWORD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(clinician().followup.signRano({ caseId: assisted.followupId, category: other, overrideReason: 'Clinically worse', password: 'wrong' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const first = await clinician().followup.signRano({ caseId: assisted.followupId, category: other, overrideReason: 'New enhancement on the T1gd beyond the AI outline', password: DEMO_PASSWORD });
    expect(first).toMatchObject({ created: true, category: other, suggestedCategory: suggested });
    expect(
      await clinician().followup.signRano({ caseId: assisted.followupId, category: other, overrideReason: 'New enhancement on the T1gd beyond the AI outline', password: DEMO_PASSWORD }),
    ).toMatchObject({ created: false, assessmentId: first.assessmentId });
    await expect(clinician().followup.signRano({ caseId: assisted.followupId, category: suggested, password: DEMO_PASSWORD })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    const statistician = callerFor(handle.db, fixture.users.statistician);
    const events = async () => (await statistician.followup.progressionEvents({ trialId: fixture.trialId })).filter((e) => e.participantId === assisted.participantId);
    expect(await events()).toEqual(other === 'PD' ? [expect.objectContaining({ progressedOn: TODAY, assessmentId: first.assessmentId })] : []);

    const corrected = await clinician().followup.signRano({
      caseId: assisted.followupId,
      category: suggested,
      password: DEMO_PASSWORD,
      correction: { supersedesId: first.assessmentId, reason: 'Re-read with the baseline side by side' },
    });
    expect(corrected.created).toBe(true);
    expect(await events()).toEqual(suggested === 'PD' ? [expect.objectContaining({ assessmentId: corrected.assessmentId })] : []);
    const after = await clinician().followup.case({ caseId: assisted.followupId });
    expect(after.assessments.map((a) => [a.category, a.current])).toEqual([
      [other, false],
      [suggested, true],
    ]);
    expect(after.assessments[1]!.signature.signerName).toBeTruthy();
  });

  it('signed assessments are append-only in the database, and the audit chain holds', async () => {
    const error = await handle.db
      .update(ranoAssessments)
      .set({ category: 'CR' })
      .where(sql`true`)
      .then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
    expect(`${error?.message} ${error?.cause?.message ?? ''}`).toMatch(/append-only/);
    expect((await verifyAuditChain({ db: handle.db })).ok).toBe(true);
  });
});

describe('blinding: control-arm readers get neither AI outlines nor AI measurements', () => {
  it('the follow-up view has no AI part, over the real HTTP handler too; the reader still signs a category, which can be the progression event', async () => {
    const input = { trialId: fixture.trialId, participantId: control.participantId };
    await coordinator().followup.recordVisit({ ...input, visitCode: 'baseline', studyId: control.caseId, scannedOn: day(-56) });
    await coordinator().followup.recordVisit({ ...input, visitCode: 'fu1', studyId: control.followupId, scannedOn: TODAY });
    const view = await clinician().followup.case({ caseId: control.followupId });
    expect(view.ai).toBeNull();
    expect(view.priors).toEqual([{ kind: 'baseline', visitCode: 'baseline', studyId: control.caseId }]);
    const http = await trpcQuery('clinician', 'followup.case', { caseId: control.followupId });
    expect(http.status).toBe(200);
    expect(http.body).not.toMatch(/sumProducts|volumesMl|lesions|suggest|"rule"/i);
    // AI outlines: the case's own and the prior's are refused alike; the prior's T1gd is served.
    const ai = await trpcQuery('clinician', 'review.aiSegmentation', { caseId: control.followupId });
    expect(ai.status).toBe(404);
    expect((await priorFile(control.followupId, 'baseline', 'ai-labels')).status).toBe(404);
    expect((await priorFile(control.followupId, 'baseline', 't1gd')).status).toBe(200);
    expect((await priorFile(assisted.followupId, 'baseline', 'ai-labels')).status).toBe(200);
    // The prior comes on the current visit's grid, resampled through the registration to baseline.
    const [followupStudy] = await handle.db.select({ grid: studies.grid }).from(studies).where(eq(studies.id, assisted.followupId));
    const grid = followupStudy!.grid as { dims: number[]; affine: number[] };
    for (const kind of ['t1gd', 'ai-labels']) {
      const res = await priorFile(assisted.followupId, 'baseline', kind);
      expect(res.headers.get('x-segtrial-grid')).toBe('current-visit');
      const onCurrent = await decodeNifti(new Uint8Array(await res.arrayBuffer()), `${kind}.nii.gz`);
      expect(onCurrent.dims).toEqual(grid.dims);
      onCurrent.affine.slice(0, 12).forEach((v, i) => expect(v).toBeCloseTo(grid.affine[i]!, 3));
      if (kind === 'ai-labels') expect([...new Set(onCurrent.data)].every((v) => [0, 1, 2, 3].includes(v))).toBe(true);
    }
    // Only earlier visits of the case's own participant.
    expect((await priorFile(assisted.followupId, 'fu1', 't1gd')).status).toBe(404);

    const signed = await clinician().followup.signRano({ caseId: control.followupId, category: 'PD', password: DEMO_PASSWORD });
    expect(signed).toMatchObject({ created: true, suggestedCategory: null });
    const [row] = await handle.db.select().from(ranoAssessments).where(eq(ranoAssessments.id, signed.assessmentId));
    expect(row).toMatchObject({ measurements: null, suggestedRule: null });
    const events = await callerFor(handle.db, fixture.users.statistician).followup.progressionEvents({ trialId: fixture.trialId });
    expect(events).toContainEqual(expect.objectContaining({ participantId: control.participantId, progressedOn: TODAY }));
    // The analysis' time-to-event outcome reads it: a PFS event dated by the signed scan, basis RANO.
    const survival = await listSurvivalOutcomes({ db: handle.db, trialId: fixture.trialId, randomizedOn: new Map([[control.participantId, day(-10)]]) });
    expect(survival.get(control.participantId)).toMatchObject({ pfs: { days: 10, event: 1 }, pfsEventBasis: 'rano' });
  });

  it('roles: a coordinator cannot read a case, a clinician cannot list progression events', async () => {
    await expect(coordinator().followup.case({ caseId: assisted.followupId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(clinician().followup.progressionEvents({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
