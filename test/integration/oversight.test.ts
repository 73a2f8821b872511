import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiAvailabilityEvents, auditLog, jobs, models, participantEvents, segmentations, sites, studies, trials } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { verifyAuditChain } from '../../server/domain/audit/verify-audit-chain';
import { buildOversightDashboard, type OversightObservation } from '../../server/domain/oversight/build-oversight-dashboard';
import { recordOversightAlerts } from '../../server/domain/oversight/record-oversight-alerts';
import { AI_NOT_AVAILABLE } from '../../server/domain/review/load-ai-segmentation';
import { registerModel } from '../../server/domain/segmentation/register-model';
import { SEGMENT_STUDY_JOB, segmentStudyJob, type SegmentStudyPayload } from '../../server/domain/segmentation/segment-study-job';
import { callerFor, type DemoUsers } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { createReviewCase, registerTestModel, type ReviewCaseFixture } from './support/review-cases';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

const storageRoot = mkdtempSync(path.join(os.tmpdir(), 'segtrial-oversight-'));
process.env.SEGTRIAL_STORAGE_ROOT = storageRoot;
const store = createContentStore(storageRoot);

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
let assisted: ReviewCaseFixture;
let control: ReviewCaseFixture;
let siteA: string;

const decision = { tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', probabilityHighGrade: 70, confidence: 3, note: null } as const;

beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await registerTestModel(handle.db, store);
  assisted = await createReviewCase(handle.db, fixture, { store, arm: 'ai_assisted' });
  control = await createReviewCase(handle.db, fixture, { store, arm: 'control' });
  const [site] = await handle.db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.trialId, fixture.trialId), eq(sites.code, 'site-a')));
  siteA = site!.id;
}, 900_000);
afterAll(() => handle.close());

const as = (role: keyof DemoUsers) => callerFor(handle.db, fixture.users[role]);

describe(`AI oversight dashboard (${TEST_DRIVER})`, () => {
  it('charts the real studies pooled over arms, and tells no role an arm', async () => {
    for (const role of ['monitor', 'admin', 'statistician'] as const) {
      const { dashboard } = await as(role).oversight.dashboard({ trialId: fixture.trialId });
      const nmi = dashboard.charts.find((c) => c.metric === 'registration_nmi' && c.siteId === null)!;
      // Both cases count, the control arm's shadow result too.
      expect(nmi.n).toBeGreaterThanOrEqual(2);
      expect(dashboard.charts.find((c) => c.metric === 'volume_wt_ml' && c.siteId === null)!.n).toBeGreaterThanOrEqual(2);
      // The brain extraction's volume and each sequence's contrast inside the brain, from the ingest.
      for (const metric of ['brain_volume_ml', 'intensity_cv_flair', 'intensity_cv_t1', 'intensity_cv_t1gd', 'intensity_cv_t2'] as const) {
        expect(dashboard.charts.find((c) => c.metric === metric && c.siteId === null)!.n, metric).toBeGreaterThanOrEqual(2);
      }
      expect(JSON.stringify(dashboard)).not.toMatch(/ai_assisted|"control"|"arm"|blinded/);
    }
  });

  it('refuses the roles that do not oversee the AI', async () => {
    for (const role of ['clinician', 'coordinator'] as const) {
      await expect(as(role).oversight.dashboard({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('raises one alert per excursion, audited, acknowledged once with a comment', async () => {
    const start = Date.UTC(2026, 0, 1);
    const values = [1.41, 1.39, 1.42, 1.4, 1.38, 1.43, 1.4, 1.41, 1.39, 1.42, 1.4, 1.41, 1.2, 1.19];
    const observations: OversightObservation[] = values.map((value, i) => ({
      metric: 'registration_nmi',
      siteId: siteA,
      siteCode: 'site-a',
      studyId: `s${i}`,
      observedAt: new Date(start + i * 86_400_000),
      value,
    }));
    const dashboard = buildOversightDashboard(observations);
    const system = { userId: null, role: null };
    // Pooled and site-a charts each cross once.
    expect(await recordOversightAlerts({ db: handle.db, trialId: fixture.trialId, dashboard, actor: system, request: { via: 'system' } })).toBe(2);
    expect(await recordOversightAlerts({ db: handle.db, trialId: fixture.trialId, dashboard, actor: system, request: { via: 'system' } })).toBe(0);
    const { alerts } = await as('monitor').oversight.dashboard({ trialId: fixture.trialId });
    const alert = alerts.find((a) => a.site === 'site-a' && a.metric === 'registration_nmi')!;
    expect(alert.evidence.direction).toBe('low');
    expect(alert.evidence.points[0]?.studyId).toBe('s12');
    expect(alert.evidence.lowerLimit).toBeGreaterThan(1.2);
    await expect(as('monitor').oversight.acknowledgeAlert({ trialId: fixture.trialId, alertId: alert.id, comment: 'ok' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(as('clinician').oversight.acknowledgeAlert({ trialId: fixture.trialId, alertId: alert.id, comment: 'Checked the protocol.' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await as('monitor').oversight.acknowledgeAlert({ trialId: fixture.trialId, alertId: alert.id, comment: 'Site A changed its FLAIR protocol; asked the site to revert.' });
    await expect(as('monitor').oversight.acknowledgeAlert({ trialId: fixture.trialId, alertId: alert.id, comment: 'Again, later.' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const audited = await handle.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.trialId, fixture.trialId));
    expect(audited.filter((a) => a.action === 'oversight.alert_raised')).toHaveLength(2);
    expect(audited.filter((a) => a.action === 'oversight.alert_acknowledged')).toHaveLength(1);
  });
});

describe(`AI stop switch (${TEST_DRIVER})`, () => {
  it('only an admin suspends, with a reason and the password re-entered', async () => {
    const request = { trialId: fixture.trialId, siteId: siteA, action: 'suspended' as const, reason: 'Protocol change at site A under investigation.', password: DEMO_PASSWORD };
    for (const role of ['monitor', 'coordinator', 'clinician', 'statistician'] as const) {
      await expect(as(role).oversight.setAvailability(request)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(as('admin').oversight.setAvailability({ ...request, password: 'wrong password' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('admin').oversight.setAvailability({ ...request, reason: 'short' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(as('admin').oversight.setAvailability({ ...request, action: 'resumed' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await as('admin').oversight.setAvailability(request);
    await expect(as('admin').oversight.setAvailability(request)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const state = await as('coordinator').oversight.availability({ trialId: fixture.trialId });
    expect(state).toMatchObject({ trialSuspended: false, suspendedSiteIds: [siteA] });
  });

  it('serves no AI output while suspended; the assisted case is reviewed without it and recorded as a deviation once', async () => {
    const clinician = as('clinician');
    await expect(clinician.review.aiSegmentation({ caseId: assisted.caseId })).rejects.toMatchObject({ code: 'NOT_FOUND', message: AI_NOT_AVAILABLE });
    expect(await clinician.review.case({ caseId: assisted.caseId })).toMatchObject({ aiAssistance: 'suspended', aiSuspended: true });
    // The control case says the same about the site, and still nothing about AI.
    expect(await clinician.review.case({ caseId: control.caseId })).toMatchObject({ aiAssistance: 'none', aiSuspended: true });
    await clinician.review.open({ caseId: assisted.caseId });
    await clinician.review.open({ caseId: assisted.caseId });
    await clinician.review.open({ caseId: control.caseId });
    const deviations = await handle.db
      .select()
      .from(participantEvents)
      .where(and(eq(participantEvents.kind, 'protocol_deviation'), eq(participantEvents.reason, 'ai_unavailable')));
    expect(deviations.map((d) => d.participantId)).toEqual([assisted.participantId]);
    const signed = await clinician.review.sign({ caseId: assisted.caseId, decision, password: DEMO_PASSWORD });
    expect(signed).toBeTruthy();
  });

  it('serves the AI again once resumed; the events cannot be changed', async () => {
    await as('admin').oversight.setAvailability({ trialId: fixture.trialId, siteId: siteA, action: 'resumed', reason: 'Site A reverted its protocol; checked.', password: DEMO_PASSWORD });
    expect(await as('clinician').review.aiSegmentation({ caseId: assisted.caseId })).toMatchObject({ segmentationId: expect.any(String) });
    const state = await as('admin').oversight.availability({ trialId: fixture.trialId });
    expect(state.suspendedSiteIds).toEqual([]);
    expect(state.history.map((h) => h.action)).toEqual(['suspended', 'resumed']);
    const refused = await handle.db.execute(sql`update ai_availability_events set reason = 'x'`).then(
      () => null,
      (e: unknown) => e as Error & { cause?: Error },
    );
    expect(`${refused?.message} ${refused?.cause?.message ?? ''}`).toMatch(/append-only/);
    expect(await handle.db.select().from(aiAvailabilityEvents)).toHaveLength(2);
  });
});

describe(`controlled model change: a candidate version in shadow (${TEST_DRIVER})`, () => {
  const contextModel = path.join(import.meta.dirname, '../../models/runtime/fixtures/context.onnx');
  let pinnedId: string;
  let candidateId: string;

  beforeAll(async () => {
    const [pinned] = await handle.db.select({ id: models.id }).from(models).where(eq(models.isDefault, true));
    pinnedId = pinned!.id;
    const candidate = await registerModel({
      db: handle.db,
      store,
      onnxPath: contextModel,
      isDefault: false,
      card: {
        name: 'context-test',
        version: '2',
        input: { name: 'image', channels: ['flair', 't1', 't1gd', 't2'], axisOrder: 'NCZYX', spacingMm: [4, 4, 4] },
        output: { name: 'logits', form: 'softmax' },
        inference: { patch: [32, 32, 32], step: 0.5 },
        sha256: createHash('sha256').update(readFileSync(contextModel)).digest('hex'),
      },
      actor: { userId: null, role: null },
      request: { via: 'system' },
    });
    candidateId = candidate.id;
  });

  it('needs a pinned model to compare with, and a candidate other than it', async () => {
    await expect(as('admin').oversight.startShadowEvaluation({ trialId: fixture.trialId, modelId: candidateId })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // Going live pins the default model; the test trial went live before one was registered.
    await handle.db.update(trials).set({ pinnedModelId: pinnedId }).where(eq(trials.id, fixture.trialId));
    await expect(as('admin').oversight.startShadowEvaluation({ trialId: fixture.trialId, modelId: pinnedId })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(as('monitor').oversight.startShadowEvaluation({ trialId: fixture.trialId, modelId: candidateId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('runs the candidate on every study, never shows it, and compares it with the pinned model', async () => {
    const started = await as('admin').oversight.startShadowEvaluation({ trialId: fixture.trialId, modelId: candidateId });
    expect(started).toEqual({ studies: 2, queued: 2 });
    expect(await as('admin').oversight.startShadowEvaluation({ trialId: fixture.trialId, modelId: candidateId })).toEqual({ studies: 2, queued: 0 });
    const queued = await handle.db.select().from(jobs).where(eq(jobs.kind, SEGMENT_STUDY_JOB));
    for (const job of queued.filter((j) => (j.payload as SegmentStudyPayload).modelId === candidateId)) {
      await segmentStudyJob({ db: handle.db, store, payload: job.payload as SegmentStudyPayload, settings: { providers: ['cpu'], threads: 1, tta: false }, onProgress: async () => {} });
    }
    expect(await handle.db.select().from(segmentations).where(eq(segmentations.modelId, candidateId))).toHaveLength(2);
    // The assisted case's clinician still sees the pinned model's result.
    expect(await as('clinician').review.aiSegmentation({ caseId: assisted.caseId })).toMatchObject({ model: { name: 'pointwise-test' } });
    const [comparison] = await as('statistician').oversight.shadowComparisons({ trialId: fixture.trialId });
    expect(comparison).toMatchObject({ candidate: { id: candidateId, version: '2' }, studies: 2, compared: 2 });
    for (const region of ['WT', 'TC', 'ET'] as const) {
      const { meanDice, minDice } = comparison!.agreement[region];
      if (meanDice !== null) {
        expect(meanDice).toBeGreaterThanOrEqual(0);
        expect(meanDice).toBeLessThanOrEqual(1);
        expect(minDice!).toBeLessThanOrEqual(meanDice);
      }
    }
    expect(JSON.stringify(comparison)).not.toMatch(/ai_assisted|"control"|blinded/);
  });

  it('switches to the candidate by a signed amendment: new cases use it, old cases keep theirs', async () => {
    const input = { trialId: fixture.trialId, modelId: candidateId, summary: 'Pin context-test 2 after its shadow comparison.', effectiveOn: '2026-06-01', password: DEMO_PASSWORD };
    await expect(as('coordinator').oversight.switchModel(input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('admin').oversight.switchModel({ ...input, password: 'wrong password' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('admin').oversight.switchModel({ ...input, modelId: pinnedId })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const [before] = await handle.db.select({ protocolVersion: trials.protocolVersion }).from(trials).where(eq(trials.id, fixture.trialId));
    const switched = await as('admin').oversight.switchModel(input);
    expect(switched).toMatchObject({ version: before!.protocolVersion + 1, modelSwitch: { from: { id: pinnedId, name: 'pointwise-test' }, to: { id: candidateId, version: '2' }, shadowResults: 2 } });
    const [trial] = await handle.db.select({ pinnedModelId: trials.pinnedModelId }).from(trials).where(eq(trials.id, fixture.trialId));
    expect(trial!.pinnedModelId).toBe(candidateId);
    // The amendment is signed and audited with the switch it made.
    const amended = await handle.db
      .select({ after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.trialId, fixture.trialId), eq(auditLog.action, 'protocol.amended')));
    expect(amended.at(-1)!.after).toMatchObject({ modelSwitch: { to: { id: candidateId } }, meaning: expect.stringContaining('amendment') });
    // An old case keeps the version it was assigned at ingest.
    expect(await as('clinician').review.aiSegmentation({ caseId: assisted.caseId })).toMatchObject({ model: { name: 'pointwise-test' } });
    // A new case is assigned the new version, and its segmentation job runs it.
    const later = await createReviewCase(handle.db, fixture, { store, arm: 'ai_assisted', segment: false });
    const [study] = await handle.db.select({ modelId: studies.modelId }).from(studies).where(eq(studies.id, later.caseId));
    expect(study!.modelId).toBe(candidateId);
    const laterJobs = (await handle.db.select().from(jobs).where(eq(jobs.kind, SEGMENT_STUDY_JOB))).filter((j) => (j.payload as SegmentStudyPayload).studyId === later.caseId);
    expect(laterJobs.map((j) => (j.payload as SegmentStudyPayload).modelId)).toEqual([candidateId]);
    // Switching again to the same version is refused.
    await expect(as('admin').oversight.switchModel(input)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });
});

describe(`AI event log (${TEST_DRIVER})`, () => {
  it('exports self-describing JSON Lines whose every line matches an audit row, for admins only', async () => {
    await expect(as('monitor').oversight.exportEventLog({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const { text, events } = await as('admin').oversight.exportEventLog({ trialId: fixture.trialId });
    const [header, ...lines] = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(header).toMatchObject({ type: 'header', format: 'segtrial-ai-event-log', events, auditChain: { verified: true } });
    expect(String(header!.retention)).toMatch(/Art\. 19/);
    const types = new Set(lines.map((l) => l.type));
    for (const t of ['model_run', 'shadow_evaluation_started', 'output_displayed', 'ai_suspended', 'ai_resumed', 'case_without_ai', 'oversight_alert', 'oversight_alert_acknowledged'])
      expect(types).toContain(t);
    for (const line of lines) {
      const [row] = await handle.db
        .select({ hash: auditLog.hash })
        .from(auditLog)
        .where(eq(auditLog.id, line.auditId as number));
      expect(row?.hash).toBe(line.auditHash);
    }
    expect((await verifyAuditChain({ db: handle.db })).ok).toBe(true);
    const [exported] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'ai.event_log_exported'));
    expect(exported?.after).toMatchObject({ events });
  });
});
