import { expect as baseExpect, test } from '@playwright/test';
import { generateLongitudinalSeries } from '../../imaging/cohort/longitudinal';
import { decodeNifti } from '../../imaging/nifti/read-nifti';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { login as apiLogin, trpcQuery } from './review-cases';
import { DEMO_PASSWORD, login } from './support';

/**
 * Follow-up review in Chromium (issue 18): for one assisted and one control participant, a baseline
 * and a week-8 follow-up of the same synthetic subject (a growing tumour, imaging/cohort/longitudinal)
 * are uploaded through the app's API, segmented by the server's worker and assigned to visits. The
 * clinician compares the follow-up with the baseline, sees the suggested RANO category, overrides
 * it with a reason and signs; the control-arm case shows neither AI outlines nor AI measurements.
 */
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ mode: 'serial' });

let cases: { assisted: string; control: string };
/**
 * Dates relative to today: the demo randomizes its patients when the server starts, and a follow-up
 * scan may not precede randomization (its date would give a negative time to progression).
 */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function mutate(baseUrl: string, cookie: string, procedure: string, input: unknown) {
  const res = await fetch(`${baseUrl}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-segtrial-request': '1', origin: baseUrl },
    body: JSON.stringify({ json: input }),
  });
  if (!res.ok) throw new Error(`${procedure}: ${res.status} ${await res.text()}`);
}

/**
 * Uploads a study and waits until it is ingested: POST /api/studies answers 201 with the study, or
 * 202 when ingest runs as a job; then the participant's study list grows by the new study.
 */
async function uploadAndWait(baseUrl: string, cookie: string, trialId: string, participantId: string, files: Record<string, Uint8Array>): Promise<string> {
  const list = () => trpcQuery<{ id: string }[]>(baseUrl, cookie, 'studies.listForParticipant', { trialId, participantId });
  const before = new Set((await list()).map((s) => s.id));
  const form = new FormData();
  form.set('trialId', trialId);
  form.set('participantId', participantId);
  for (const [role, bytes] of Object.entries(files)) form.set(role, new File([new Uint8Array(bytes)], `${role}.nii`));
  const res = await fetch(`${baseUrl}/api/studies`, { method: 'POST', headers: { cookie, 'x-segtrial-request': '1', origin: baseUrl }, body: form });
  const body = (await res.json()) as { studyId?: string };
  if (res.status === 201 && body.studyId) return body.studyId;
  if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  const deadline = Date.now() + 300_000;
  for (;;) {
    const added = (await list()).find((s) => !before.has(s.id));
    if (added) return added.id;
    const refused = (await trpcQuery<{ status: string; rejection: unknown }[]>(baseUrl, cookie, 'studies.uploadsForParticipant', { trialId, participantId })).find((u) => u.status === 'rejected');
    if (refused) throw new Error(`ingest refused the upload: ${JSON.stringify(refused.rejection)}`);
    if (Date.now() > deadline) throw new Error('the upload was not ingested within 5 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
}

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(900_000);
  const base = baseURL!;
  const seriesFiles = await Promise.all(
    [1, 2].map(async (i) => {
      const { visits } = await generateLongitudinalSeries({
        seed: 'e2e-followup',
        // Fixed subjects: every run shows the same images and the same suggested category.
        index: i,
        site: 'site-a',
        size: 'tiny',
        visits: [
          { visit: 'baseline', days: 0 },
          { visit: 'fu1', days: 56 },
        ],
        course: { course: 'growth', doublingTimeDays: 40 },
      });
      return visits.map((v) => Object.fromEntries((['flair', 't1', 't1gd', 't2'] as const).map((role) => [role, encodeNifti(v.subject.images[role], { datatype: 'int16' })])));
    }),
  );
  const statistician = await apiLogin(base, 'statistician', DEMO_PASSWORD);
  const coordinator = await apiLogin(base, 'coordinator', DEMO_PASSWORD);
  const clinician = await apiLogin(base, 'clinician', DEMO_PASSWORD);
  const trial = (await trpcQuery<{ id: string; slug: string }[]>(base, statistician, 'trials.list')).find((t) => t.slug === 'demo')!;
  const participants = await trpcQuery<{ id: string; studyId: string; site: string; arm: string | null; randomized: boolean }[]>(base, statistician, 'participants.list', { trialId: trial.id });
  const worklist = new Set((await trpcQuery<{ participantCode: string }[]>(base, clinician, 'review.worklist', {})).map((w) => w.participantCode));
  const pick = (arm: string) => participants.find((p) => p.randomized && p.site === 'site-a' && p.arm === arm && !worklist.has(p.studyId))!;
  const out: Record<string, string> = {};
  for (const [i, arm] of ['ai_assisted', 'control'].entries()) {
    const p = pick(arm);
    const baselineId = await uploadAndWait(base, coordinator, trial.id, p.id, seriesFiles[i]![0]!);
    const followupId = await uploadAndWait(base, coordinator, trial.id, p.id, seriesFiles[i]![1]!);
    await mutate(base, coordinator, 'followup.recordVisit', { trialId: trial.id, participantId: p.id, visitCode: 'baseline', studyId: baselineId, scannedOn: day(-56) });
    await mutate(base, coordinator, 'followup.recordVisit', { trialId: trial.id, participantId: p.id, visitCode: 'fu1', studyId: followupId, scannedOn: day(0) });
    out[arm] = followupId;
  }
  cases = { assisted: out.ai_assisted!, control: out.control! };
  // Both AI segmentations of the assisted participant: the suggestion exists once both are done.
  const deadline = Date.now() + 600_000;
  for (;;) {
    const view = await trpcQuery<{ ai: { suggestion: unknown } | null }>(base, clinician, 'followup.case', { caseId: cases.assisted });
    if (view.ai?.suggestion) break;
    if (Date.now() > deadline) throw new Error('the RANO suggestion was not ready within 10 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
});

test('a clinician compares the follow-up with baseline, sees the suggested category, overrides it with a reason and signs', async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, 'clinician');
  await page.goto(`/clinician/cases/${cases.assisted}`);
  const comparison = page.getByTestId('comparison-view');
  await expect(comparison).toBeVisible();
  await expect(comparison).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await expect(page.getByTestId('comparison-prior')).toHaveValue('baseline');
  await expect(page.getByTestId('visit-table').locator('tr[data-visit="fu1"]')).toContainText('in window');
  const suggested = (await page.getByTestId('suggested-category').textContent())!.trim();
  expect(['CR', 'PR', 'SD', 'PD']).toContain(suggested);
  await expect(page.getByTestId('suggested-rule')).toContainText('Rule:');
  await expect(page.getByTestId('volume-timeline')).toBeVisible();
  // The prior is served on the current visit's grid (resampled through the registration to baseline): both sides share dims and affine.
  await expect(page.getByTestId('comparison-grid-note')).toContainText("resampled onto the current scan's grid");
  const header = async (url: string) => {
    const res = await page.request.get(url);
    expect(res.status()).toBe(200);
    return decodeNifti(new Uint8Array(await res.body()), url);
  };
  const [priorT1gd, currentT1gd, priorLabels] = [
    await header(`/api/followup/cases/${cases.assisted}/visits/baseline/t1gd`),
    await header(`/api/review/cases/${cases.assisted}/files/t1gd`),
    await header(`/api/followup/cases/${cases.assisted}/visits/baseline/ai-labels`),
  ];
  expect(priorT1gd.dims).toEqual(currentT1gd.dims);
  expect(priorLabels.dims).toEqual(currentT1gd.dims);
  priorT1gd.affine.forEach((v, i) => expect(v).toBeCloseTo(currentT1gd.affine[i]!, 3));
  await comparison.screenshot({ path: 'test-results/followup-comparison-assisted.png' });
  const other = suggested === 'PD' ? 'SD' : 'PD';
  await page.getByTestId('rano-category').selectOption(other);
  await expect(page.getByTestId('rano-sign')).toBeDisabled();
  await page.getByTestId('rano-override-reason').fill('New enhancing nodule at the posterior margin on the T1gd');
  await page.getByTestId('rano-password').fill(DEMO_PASSWORD);
  await page.getByTestId('rano-sign').click();
  const signed = page.getByTestId('signed-rano');
  await expect(signed).toBeVisible({ timeout: 60_000 });
  await expect(signed.getByTestId('signed-category')).toHaveText(other);
  await expect(signed).toContainText(`suggested ${suggested}`);
});

test('a control-arm follow-up shows neither AI outlines nor AI measurements', async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, 'clinician');
  await page.goto(`/clinician/cases/${cases.control}`);
  const comparison = page.getByTestId('comparison-view');
  await expect(comparison).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await expect(page.getByTestId('rano-panel')).toBeVisible();
  await expect(page.getByTestId('rano-suggestion')).toHaveCount(0);
  await expect(page.getByTestId('volume-timeline')).toHaveCount(0);
  await expect(page.getByTestId('ai-panel')).toHaveCount(0);
  await expect(comparison).not.toContainText('AI outlines');
  await comparison.screenshot({ path: 'test-results/followup-comparison-control.png' });
  // The prior's AI label map is refused to this reader, like the case's own.
  const res = await page.request.get(`/api/followup/cases/${cases.control}/visits/baseline/ai-labels`);
  expect(res.status()).toBe(404);
});

test('a coordinator sets the imaging visit schedule in the design editor; a schedule out of order is refused before saving', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, 'coordinator');
  await page.getByLabel('Name', { exact: true }).fill('E2E follow-up schedule trial');
  await page.getByLabel('Short name (slug)').fill(`e2e-visits-${Date.now().toString(36)}`);
  await page.getByLabel('Site 1 code').fill('e2e-site');
  await page.getByLabel('Site 1 name').fill('E2E hospital');
  await page.getByRole('button', { name: 'Create trial' }).click();
  await expect(page).toHaveURL(/\/setup$/);
  const editor = page.getByTestId('imaging-visits-editor');
  // A new design starts from the default schedule: baseline and five follow-ups.
  await expect(editor.getByLabel('Visit 1 code')).toHaveValue('baseline');
  await expect(editor.getByLabel('Visit 6 code')).toHaveValue('fu5');
  // Follow-up 1 every 6 weeks with a 10-day window; a visit due before the previous one is named.
  await editor.getByLabel('Visit 2 due day').fill('42');
  await editor.getByLabel('Visit 2 window').fill('10');
  await editor.getByLabel('Visit 3 due day').fill('30');
  await expect(page.getByTestId('imaging-visits-error')).toContainText('Imaging visit 3 (offsetDays): visits are listed in time order');
  await editor.getByLabel('Visit 3 due day').fill('84');
  await expect(page.getByTestId('imaging-visits-error')).toHaveCount(0);
  await editor.getByRole('button', { name: 'Add a follow-up visit' }).click();
  await expect(editor.getByLabel('Visit 7 due day')).toHaveValue('392');
  await editor.getByLabel('Visit 7 code').fill('eot');
  await editor.getByLabel('Visit 7 label').fill('End of treatment');
  await page.getByLabel('Block sizes').fill('2, 4');
  await page.getByRole('button', { name: 'Save design' }).click();
  await expect(page.getByTestId('setup-message')).toHaveText('Design saved.');
  await editor.screenshot({ path: 'test-results/followup-visit-schedule.png' });
  // Saved with the design: a fresh page shows it.
  await page.reload();
  await expect(editor.getByLabel('Visit 2 due day')).toHaveValue('42');
  await expect(editor.getByLabel('Visit 2 window')).toHaveValue('10');
  await expect(editor.getByLabel('Visit 7 code')).toHaveValue('eot');
});
