import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { auditLog, segmentations, studies } from '../../db/schema';
import { segmentationMetrics } from '../../imaging/metrics/segmentation-metrics';
import { decodeNifti } from '../../imaging/nifti/read-nifti';
import { encodeNiftiFile } from '../../imaging/nifti/write-nifti';
import { createContentStore, type ContentStore } from '../../imaging/storage/content-store';
import type { Dims, Mat4 } from '../../imaging/volume';
import { buildAnalysisDataset } from '../../server/domain/analytics/build-analysis-dataset';
import { loginUser } from '../../server/domain/auth/login-user';
import { SESSION_COOKIE } from '../../server/domain/auth/session-token';
import { storeReferenceSegmentation } from '../../server/domain/outcomes/store-reference-segmentation';
import { handleAnalyticsExport } from '../../server/http/analytics-export';
import { callerFor } from './support/callers';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { createReviewCase, registerTestModel, type ReviewCaseFixture } from './support/review-cases';
import { openTestDatabase } from './support/test-database';

let handle: DatabaseHandle;
let store: ContentStore;
let fixture: Awaited<ReturnType<typeof seedDemoForTest>>;
const cases: ReviewCaseFixture[] = [];
const references = new Map<string, Uint8Array>();

/** A reference label map on the study grid: nested boxes (edema ⊃ core ⊃ enhancing), shifted per case. */
function referenceLabels(dims: Dims, shift: number): Uint8Array {
  const out = new Uint8Array(dims[0] * dims[1] * dims[2]);
  const c = [Math.floor(dims[0] / 2) + shift, Math.floor(dims[1] / 2), Math.floor(dims[2] / 2)];
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++) {
        const d = Math.max(Math.abs(x - c[0]!), Math.abs(y - c[1]!), Math.abs(z - c[2]!));
        out[x + dims[0] * (y + dims[1] * z)] = d <= 1 ? 3 : d <= 3 ? 2 : d <= 6 ? 1 : 0;
      }
  return out;
}

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'segtrial-analytics-img-'));
  process.env.SEGTRIAL_STORAGE_ROOT = root;
  store = createContentStore(root);
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
  await registerTestModel(handle.db, store);
  for (const [arm, siteCode] of [
    ['ai_assisted', 'site-a'],
    ['control', 'site-a'],
    ['ai_assisted', 'site-b'],
  ] as const)
    cases.push(await createReviewCase(handle.db, fixture, { store, arm, siteCode }));
  const coordinator = callerFor(handle.db, fixture.users.coordinator);
  for (const [k, c] of cases.entries()) {
    const [study] = await handle.db.select().from(studies).where(eq(studies.participantId, c.participantId));
    const grid = study!.grid as { dims: Dims; affine: Mat4 };
    const labels = referenceLabels(grid.dims, k);
    const spacing = [
      Math.hypot(grid.affine[0]!, grid.affine[4]!, grid.affine[8]!),
      Math.hypot(grid.affine[1]!, grid.affine[5]!, grid.affine[9]!),
      Math.hypot(grid.affine[2]!, grid.affine[6]!, grid.affine[10]!),
    ] as const;
    const bytes = encodeNiftiFile('reference.nii.gz', { dims: grid.dims, spacing, affine: grid.affine, data: labels });
    const access = { trialId: fixture.trialId, siteIds: null };
    const stored = await storeReferenceSegmentation({ db: handle.db, store, access, studyId: study!.id, file: 'reference.nii.gz', bytes });
    references.set(c.participantId, labels);
    await coordinator.outcomes.record({
      trialId: fixture.trialId,
      participantId: c.participantId,
      referenceHighGrade: k !== 1,
      whoGrade: k !== 1 ? 4 : 2,
      progressionFree6m: k === 1,
      reference: { studyId: study!.id, labelsSha256: stored.labelsSha256 },
      assessedOn: '2026-06-01',
      note: null,
      supersedesId: null,
    });
  }
  // The site-a clinician reads the two site-a cases; the assisted one accepts the AI segmentation first.
  const clinician = callerFor(handle.db, fixture.users.clinician);
  for (const c of cases.filter((x) => x.siteCode === 'site-a')) {
    await clinician.review.open({ caseId: c.caseId });
    if (c.arm === 'ai_assisted') await clinician.review.reviewSegmentation({ caseId: c.caseId, outcome: 'accepted', reason: null });
    await clinician.review.sign({
      caseId: c.caseId,
      password: DEMO_PASSWORD,
      decision: { tumourPresent: true, suspectedGrade: 'high', managementPlan: 'resection', probabilityHighGrade: 80, confidence: 4, note: null },
    });
  }
}, 600_000);
afterAll(async () => handle?.close());

describe('analysis dataset from imaged, segmented and read participants', () => {
  it('compares the stored AI label map with the reference on the same study, and takes risk and decisions from the tables', async () => {
    const dataset = await buildAnalysisDataset({ db: handle.db, store, access: { trialId: fixture.trialId, siteIds: null } });
    expect(dataset.model?.name).toBe('pointwise-test');
    for (const c of cases) {
      const row = dataset.rows.find((r) => r.participantId === c.participantId)!;
      const [seg] = await handle.db.select().from(segmentations).innerJoin(studies, eq(studies.id, segmentations.studyId)).where(eq(studies.participantId, c.participantId));
      const ai = await decodeNifti(await store.get(seg!.segmentations.labelsSha256));
      const expected = segmentationMetrics({ predicted: ai.data, reference: references.get(c.participantId)!, dims: ai.dims, spacing: ai.spacing });
      for (const m of expected)
        expect(row.segmentation?.[m.region], `${c.participantCode} ${m.region}`).toEqual({ dice: m.dice, hd95: m.hd95, sensitivity: m.sensitivity, specificity: m.specificity });
      expect(row.modelRisk).toBe(seg!.segmentations.riskHighGrade);
      expect(row.site).toBe(c.siteCode);
    }
    const read = dataset.rows.filter((r) => r.readerCount > 0);
    expect(read.map((r) => r.participantId).sort()).toEqual(
      cases
        .filter((c) => c.siteCode === 'site-a')
        .map((c) => c.participantId)
        .sort(),
    );
    expect(read.every((r) => r.clinicianProbability === 0.8 && r.clinicianHighGrade === 1)).toBe(true);
    const control = dataset.rows.find((r) => r.participantId === cases[1]!.participantId)!;
    expect(control.clinicianCorrect).toBe(0); // high grade suspected, histopathology low grade
    const readers = dataset.readers;
    expect(readers.find((r) => r.arm === 'ai_assisted')).toMatchObject({ reader: 'clinician', aiAction: 'accepted', diceProposalToFinal: 1 });
    expect(readers.find((r) => r.arm === 'control')).toMatchObject({ aiAction: null, diceProposalToFinal: null });
    expect(readers.every((r) => r.secondsToDecision !== null && r.secondsToDecision >= 0)).toBe(true);
  });

  it('summarizes segmentation per site and human–AI interaction per arm in the report', async () => {
    const { report } = await callerFor(handle.db, fixture.users.statistician).analytics.report({ trialId: fixture.trialId });
    expect(report.segmentation.cases).toHaveLength(3);
    const internal = report.segmentation.summaries.find((s) => s.group === 'internal')!;
    expect(internal.n).toBe(3);
    const byArm = report.interaction.find((i) => i.by === 'arm')!;
    if (!byArm.result.available) throw new Error(byArm.result.reason);
    const assisted = byArm.result.value.find((g) => g.group === 'AI-assisted')!;
    expect(assisted.accepted?.estimate).toBe(1);
    expect(byArm.result.value.find((g) => g.group === 'Control')!.withProposal).toBe(0);
  });

  it('exports a table as CSV with the snapshot headers and an export.created audit row; clinicians get 403', async () => {
    const login = async (username: string) => (await loginUser({ db: handle.db, username, password: DEMO_PASSWORD, sessionMaxMinutes: 60, request: { via: 'system' } })).token;
    const statistician = await login('statistician');
    const url = (q: string) => `http://127.0.0.1/api/analytics/${fixture.trialId}/export?${q}`;
    const get = (token: string, q: string) => handleAnalyticsExport({ db: handle.db, trialId: fixture.trialId, req: new Request(url(q), { headers: { cookie: `${SESSION_COOKIE}=${token}` } }) });

    const csv = await get(statistician, 'what=table:segmentation_cases&format=csv');
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe(
      'study_id,site,external,arm,WT_dice,WT_hd95_mm,WT_sensitivity,WT_specificity,TC_dice,TC_hd95_mm,TC_sensitivity,TC_specificity,ET_dice,ET_hd95_mm,ET_sensitivity,ET_specificity',
    );
    expect(text.trim().split('\r\n')).toHaveLength(4);
    const snapshot = csv.headers.get('x-segtrial-dataset-sha256');
    expect(snapshot).toMatch(/^[0-9a-f]{64}$/);
    const [audit] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'export.created'), eq(auditLog.trialId, fixture.trialId)));
    expect(audit?.after).toMatchObject({ what: 'table:segmentation_cases', format: 'csv', datasetSha256: snapshot, fileSha256: csv.headers.get('x-segtrial-file-sha256') });

    const json = await get(statistician, 'what=dataset&format=json');
    const body = (await json.json()) as { snapshot: { sha256: string }; columns: string[]; rows: unknown[][]; dictionary: { column: string }[] };
    expect(body.snapshot.sha256).toBe(snapshot);
    expect(body.dictionary.map((d) => d.column)).toEqual(body.columns);
    expect(body.rows.length).toBeGreaterThanOrEqual(3);

    expect((await get(statistician, 'what=table:nope&format=csv')).status).toBe(404);
    expect((await get(statistician, 'what=dataset&format=xlsx')).status).toBe(400);
    const clinician = await login('clinician');
    const refused = await get(clinician, 'what=dataset&format=csv');
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain(cases[0]!.participantCode);
  });
});
