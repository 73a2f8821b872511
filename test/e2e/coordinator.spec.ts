import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { DEMO_PASSWORD, login } from './support';

// The e2e server seeds the demo's simulated participants in the background while these tests run,
// and the machine is shared: give pages and assertions more time than the defaults.
const expect = baseExpect.configure({ timeout: 30_000 });
test.use({ navigationTimeout: 90_000, actionTimeout: 30_000 });

const SHOTS = 'test-results/screens';
const ROLES = ['flair', 't1', 't1gd', 't2'] as const;

async function openDemoTrial(page: Page): Promise<string> {
  await page.goto('/coordinator');
  await page.getByRole('link', { name: /SegTrial demo/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /SegTrial demo/ })).toBeVisible();
  return new URL(page.url()).pathname;
}

async function openPatient(page: Page, trialPath: string, studyId: string): Promise<string> {
  await page.goto(trialPath);
  await page.getByTestId('patient-list').getByRole('link', { name: studyId, exact: true }).click();
  await expect(page.getByTestId('participant-study-id')).toHaveText(studyId);
  return new URL(page.url()).pathname;
}

test('a coordinator creates a trial, starts test mode, enrolls and randomizes a patient, and the CONSORT diagram follows', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, 'coordinator');
  const slug = `e2e-${Date.now().toString(36)}`;
  await page.getByLabel('Name', { exact: true }).fill('E2E glioma trial');
  await page.getByLabel('Short name (slug)').fill(slug);
  await page.getByLabel('Site 1 code').fill('e2e-site');
  await page.getByLabel('Site 1 name').fill('E2E hospital');
  await page.getByRole('button', { name: 'Create trial' }).click();
  await expect(page).toHaveURL(/\/setup$/);
  const trialPath = new URL(page.url()).pathname.replace(/\/setup$/, '');

  // A design the server refuses says why (a block size that is not a multiple of the ratio sum).
  await page.getByLabel('Block sizes').fill('3');
  await page.getByRole('button', { name: 'Save design' }).click();
  await expect(page.getByTestId('setup-message')).toContainText('3');
  await page.getByLabel('Block sizes').fill('2, 4');
  await page.getByRole('button', { name: 'Save design' }).click();
  await expect(page.getByTestId('setup-message')).toHaveText('Design saved.');
  await page.getByRole('button', { name: 'Start test mode' }).click();
  await expect(page.getByTestId('setup-message')).toContainText('Test mode started');
  await expect(page.getByTestId('trial-status')).toHaveText('test mode');
  await expect(page.getByTestId('commitment-hash')).toHaveText(/^[0-9a-f]{64}$/);

  await page.goto(trialPath);
  await expect(page.getByTestId('consort-summary')).toContainText('0 assessed');

  await page.getByRole('link', { name: 'Enroll a patient' }).first().click();
  await page.getByLabel('Pseudonymous study ID').fill('E2E-0001');
  for (const question of ['Age 18 years or older', 'Written informed consent obtained']) {
    await page.getByRole('group', { name: question }).getByLabel('Yes').check();
  }
  await page.getByLabel('Age (years)').fill('47');
  await expect(page.getByLabel('Factor age_band')).toHaveValue('<50');
  await page.getByLabel('Sex').selectOption('F');
  await page.getByLabel('Scanner vendor').fill('Siemens');
  await page.getByRole('button', { name: 'Enroll patient' }).click();
  await expect(page.getByTestId('participant-study-id')).toHaveText('E2E-0001');

  await page.getByRole('button', { name: 'Randomize' }).click();
  await page.getByRole('button', { name: 'Confirm randomization' }).click();
  const allocation = page.getByTestId('allocation-result');
  await expect(allocation).toContainText('E2E-0001 randomized');
  await expect(allocation).toContainText('concealed');

  await page.goto(trialPath);
  await expect(page.getByTestId('consort-summary')).toContainText('1 assessed, 0 excluded, 0 awaiting randomization, 1 randomized');
  await expect(page.getByTestId('consort-diagram').locator('[data-box="randomized"]')).toContainText('Randomized (n = 1)');
  // Every exclusion reason is drawn, n = 0 included.
  await expect(page.getByTestId('consort-diagram').locator('[data-box="excluded"]')).toContainText('Declined to participate (n = 0)');
  await page.screenshot({ path: `${SHOTS}/coordinator-consort.png`, fullPage: true });
});

test('a coordinator uploads a broken study and sees the typed refusal from the ingest job, then a valid one and sees it registered and queued', async ({ page }) => {
  test.setTimeout(300_000);
  const subject = await generateSubject({ seed: 'e2e-upload', index: 0, site: 'site-a', size: 'tiny' });
  const file = (role: (typeof ROLES)[number]) => ({ name: `e2e_${role}.nii`, mimeType: 'application/octet-stream', buffer: Buffer.from(encodeNifti(subject.images[role], { datatype: 'int16' })) });

  await login(page, 'coordinator');
  const trialPath = await openDemoTrial(page);
  await openPatient(page, trialPath, 'SA-0008');
  const upload = page.getByRole('form', { name: 'Upload a study' });

  for (const role of ROLES)
    await upload.locator(`input[name="${role}"]`).setInputFiles(role === 't2' ? { name: 'e2e_t2.nii.gz', mimeType: 'application/gzip', buffer: Buffer.from('not a nifti file at all') } : file(role));
  await upload.getByRole('button', { name: 'Upload study' }).click();
  const refused = page.getByTestId('upload-refused');
  await expect(refused).toBeVisible({ timeout: 60_000 });
  await expect(refused).toContainText('Nothing was stored');
  await expect(page.getByTestId('refusal-file')).toHaveText('e2e_t2.nii.gz');
  await expect(page.getByTestId('refusal-field')).toHaveText('gzip magic');
  await expect(page.getByTestId('refusal-expected')).toContainText('1f 8b');
  await expect(page.getByTestId('study-card')).toHaveCount(0);
  await refused.screenshot({ path: `${SHOTS}/coordinator-upload-refused.png` });

  for (const role of ROLES) await upload.locator(`input[name="${role}"]`).setInputFiles(file(role));
  await upload.getByRole('button', { name: 'Upload study' }).click();
  // The upload is answered at once; ingest runs as a job and the page follows it to the study.
  await expect(page.getByTestId('upload-received')).toBeVisible({ timeout: 60_000 });
  const card = page.getByTestId('study-card');
  await expect(card).toHaveCount(1, { timeout: 240_000 });
  const registration = card.getByRole('table', { name: 'Registration quality' });
  await expect(registration.locator('tbody tr')).toHaveCount(3);
  for (const row of await registration.locator('tbody tr').all()) {
    const before = Number(await row.locator('td').nth(1).textContent());
    const after = Number(await row.locator('td').nth(2).textContent());
    expect(after).toBeGreaterThan(1.1);
    expect(after).toBeGreaterThanOrEqual(before - 0.001);
  }
  await expect(card.getByTestId('segmentation-job')).toContainText('AI segmentation');
  await page.screenshot({ path: `${SHOTS}/coordinator-study.png`, fullPage: true });
});

test('a coordinator records a follow-up outcome, is refused an inconsistent one, and corrects it with a linked record', async ({ page }) => {
  await login(page, 'coordinator');
  const trialPath = await openDemoTrial(page);
  await openPatient(page, trialPath, 'SA-0003');
  const panel = page.getByRole('region', { name: 'Follow-up outcome' });
  await expect(panel).toContainText('No outcome recorded yet.');
  await panel.getByRole('button', { name: 'Record outcome…' }).click();
  const form = panel.getByRole('form', { name: 'Record outcome' });
  await form.getByLabel('Histopathology: high grade (WHO 3–4)').selectOption('yes');
  await form.getByLabel('WHO grade').selectOption('2');
  await form.getByLabel('Progression-free at 6 months').selectOption('no');
  await form.getByRole('button', { name: 'Record outcome' }).click();
  await expect(form.getByRole('alert')).toContainText('WHO grade 2 is not high grade');

  await form.getByLabel('WHO grade').selectOption('4');
  await form.getByLabel('Note').fill('histopathology report of the resection');
  await form.getByRole('button', { name: 'Record outcome' }).click();
  await expect(panel.getByRole('status')).toHaveText('Outcome recorded.');
  await expect(panel.getByTestId('current-outcome')).toContainText('4');

  await panel.getByRole('button', { name: 'Correct this outcome…' }).click();
  await panel.getByRole('form', { name: 'Record outcome' }).getByLabel('WHO grade').selectOption('3');
  await panel.getByRole('form', { name: 'Record outcome' }).getByRole('button', { name: 'Record correction' }).click();
  await expect(panel.getByRole('status')).toHaveText('Correction recorded.');
  await expect(panel.getByTestId('current-outcome')).toContainText('3');
  await expect(panel.getByText('History (2 records; corrections supersede earlier ones)')).toBeVisible();
});

test('emergency unblinding needs a reason, reveals the arm once and is shown to monitors', async ({ page, browser }) => {
  await login(page, 'coordinator');
  const trialPath = await openDemoTrial(page);
  await openPatient(page, trialPath, 'SB-0002');
  await expect(page.getByTestId('participant-arm')).toHaveText('concealed');
  await page.getByRole('button', { name: 'Unblind this patient…' }).click();
  await page.getByLabel('Clinical reason').fill('Severe reaction; treating team must know the review arm');
  await page.getByRole('button', { name: 'Reveal the arm' }).click();
  await expect(page.getByTestId('unblinded-arm')).toContainText(/SB-0002 is in the (AI-assisted|Control) arm/);

  const monitor = await newLoggedInPage(browser, 'monitor');
  await monitor.goto('/monitor');
  const row = monitor.getByTestId('unblindings').locator('tr', { hasText: 'SB-0002' });
  await expect(row).toContainText('Severe reaction; treating team must know the review arm');
  await expect(row).toContainText('Cora Coordinator');
  await monitor.context().close();
});

test('a clinician cannot reach any coordinator page, upload or procedure', async ({ page, browser }) => {
  await login(page, 'coordinator');
  const trialPath = await openDemoTrial(page);
  const patientPath = await openPatient(page, trialPath, 'SA-0009');
  const trialId = trialPath.split('/')[2]!;
  const participantId = patientPath.split('/').pop()!;

  const clinician = await newLoggedInPage(browser, 'clinician');
  for (const path of ['/coordinator', trialPath, `${trialPath}/setup`, `${trialPath}/enroll`, patientPath]) {
    const response = await clinician.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(clinician.getByRole('heading', { name: '403 · Not permitted' })).toBeVisible();
    await expect(clinician.getByText('SA-0009')).toHaveCount(0);
  }
  const uploadResponse = await clinician.request.post('/api/studies', { headers: { 'x-segtrial-request': '1' }, multipart: { trialId, participantId } });
  expect(uploadResponse.status()).toBe(403);
  const input = encodeURIComponent(JSON.stringify({ 0: { json: { trialId } } }));
  for (const procedure of ['participants.list', 'trials.consort', 'trials.balance']) {
    const res = await clinician.request.get(`/api/trpc/${procedure}?batch=1&input=${input}`);
    expect(res.status(), procedure).toBe(403);
  }
  const studies = await clinician.request.get(`/api/trpc/studies.listForParticipant?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: { trialId, participantId } } }))}`);
  expect(studies.status()).toBe(403);
  const randomize = await clinician.request.post('/api/trpc/participants.randomize?batch=1', {
    headers: { 'x-segtrial-request': '1', 'content-type': 'application/json' },
    data: { 0: { json: { trialId, participantId } } },
  });
  expect(randomize.status()).toBe(403);
  await clinician.context().close();
});

async function newLoggedInPage(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  // The server may be busy with an earlier test's inference job: allow a slower login than support.ts does.
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible({ timeout: 60_000 });
  return page;
}
