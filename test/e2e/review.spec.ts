import { expect as baseExpect, test, type Locator, type Page } from '@playwright/test';
import { prepareReviewCases, type PreparedCase } from './review-cases';
import { DEMO_PASSWORD } from './support';

/**
 * Clinician review in Chromium with WebGL2 (SwiftShader, see docs/testing.md). The cases are made
 * through the app's own API before the tests (review-cases.ts): a real upload, ingest and ONNX
 * inference by the server's worker. Overlay assertions count overlay-coloured pixels in screenshots
 * of the viewer's canvas, so they fail if NiiVue draws nothing, whatever the DOM says.
 */

/** Page updates wait on server renders (router.refresh) that are slow on a loaded two-core machine. */
const expect = baseExpect.configure({ timeout: 30_000 });

type Cases = { assisted: PreparedCase; control: PreparedCase; otherSite: PreparedCase };
let cases: Cases;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(600_000);
  cases = await prepareReviewCases(baseURL!, DEMO_PASSWORD, { timeoutMs: 420_000 });
});

interface PixelCounts {
  edema: number;
  nonEnhancing: number;
  enhancing: number;
  total: number;
}

/**
 * Classifies the pixels of a PNG screenshot by the overlay's fixed colours blended over grey
 * (app/clinician/_components/label-colours.ts): green-dominant edema, red-dominant non-enhancing,
 * yellow enhancing. Grey MRI pixels have no chroma and the crosshair is blue, so neither counts.
 */
/**
 * The overlay's pixel counts once `drawn` holds for them: the canvas redraws a moment after a click,
 * so the counts are polled (a condition, not a fixed sleep); the last counts are returned either way
 * and the caller's own assertion says what was expected.
 */
async function overlayPixelsWhen(page: Page, canvas: Locator, drawn: (counts: PixelCounts) => boolean): Promise<PixelCounts> {
  let counts = await countOverlayPixels(page, canvas);
  await expect
    .poll(async () => drawn((counts = await countOverlayPixels(page, canvas))), { timeout: 30_000, intervals: [100, 250, 500] })
    .toBe(true)
    .catch(() => undefined);
  return counts;
}

const overlayTotal = (c: PixelCounts) => c.edema + c.nonEnhancing + c.enhancing;

async function countOverlayPixels(page: Page, canvas: Locator): Promise<PixelCounts> {
  const png = await canvas.screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const counts = { edema: 0, nonEnhancing: 0, enhancing: 0, total: c.width * c.height };
    for (let i = 0; i < d.length; i += 4) {
      const r = d[i]!;
      const g = d[i + 1]!;
      const b = d[i + 2]!;
      if (g > 100 && g - r > 50 && g - b > 50) counts.edema += 1;
      else if (r > 100 && r - g > 60 && r - b > 60) counts.nonEnhancing += 1;
      else if (r > 120 && g > 100 && r - b > 90 && g - b > 80 && Math.abs(r - g) < 70) counts.enhancing += 1;
    }
    return counts;
  }, png.toString('base64'));
}

/** Logs in through the form; scrypt and a first server render can take many seconds on a loaded machine. */
async function login(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible({ timeout: 60_000 });
}

async function openCase(page: Page, caseId: string) {
  const response = await page.goto(`/clinician/cases/${caseId}`);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-viewer-state', 'ready', { timeout: 120_000 });
  return response;
}

test('an assisted-arm clinician sees the overlay, toggles a label, reads the volumes, accepts and signs', async ({ page }) => {
  test.setTimeout(300_000);
  await login(page, 'clinician');
  await expect(page.getByTestId('worklist-row').filter({ hasText: cases.assisted.participantCode })).toBeVisible();
  await page.getByRole('link', { name: cases.assisted.participantCode }).click();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-viewer-state', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-overlay', 'shown', { timeout: 60_000 });
  const canvas = page.getByTestId('viewer-canvas-0');
  await page.getByRole('button', { name: 'Axial' }).click();
  // Outline mode draws at opacity ≥ 0.9: fill is measured at 0.9 too, so the two counts differ only in
  // which voxels are drawn (the outline's are a subset), not in how strongly their colours blend.
  await page.getByTestId('viewer').getByLabel('Overlay opacity').fill('90');
  const shown = await overlayPixelsWhen(page, canvas, (c) => overlayTotal(c) > 200);
  await page.screenshot({ path: 'test-results/screens/review-assisted.png', fullPage: true });
  const overlayPixels = shown.edema + shown.nonEnhancing + shown.enhancing;
  expect(overlayPixels, JSON.stringify(shown)).toBeGreaterThan(200);

  // Which label to toggle: the one with most pixels on this slice; the others must stay.
  const labels = [
    { name: 'Edema', key: 'edema' },
    { name: 'Non-enhancing tumour', key: 'nonEnhancing' },
    { name: 'Enhancing tumour', key: 'enhancing' },
  ] as const;
  const biggest = labels.reduce((a, b) => (shown[b.key] > shown[a.key] ? b : a));
  await page.getByTestId('viewer').getByLabel(biggest.name, { exact: true }).uncheck();
  const toggled = await overlayPixelsWhen(page, canvas, (c) => c[biggest.key] < shown[biggest.key] * 0.05);
  expect(toggled[biggest.key], JSON.stringify({ shown, toggled })).toBeLessThan(shown[biggest.key] * 0.05);
  for (const other of labels.filter((l) => l !== biggest)) expect(toggled[other.key], JSON.stringify({ shown, toggled })).toBeGreaterThanOrEqual(Math.floor(shown[other.key] * 0.5));
  await page.getByTestId('viewer').getByLabel(biggest.name, { exact: true }).check();
  expect((await overlayPixelsWhen(page, canvas, (c) => c[biggest.key] > shown[biggest.key] * 0.9))[biggest.key]).toBeGreaterThan(shown[biggest.key] * 0.9);
  // Outline keeps fewer overlay pixels than fill; hiding the overlay leaves none.
  await page.getByRole('button', { name: 'Outline' }).click();
  const outlined = await overlayPixelsWhen(page, canvas, (c) => overlayTotal(c) < overlayPixels);
  expect(overlayTotal(outlined), JSON.stringify({ shown, outlined })).toBeLessThan(overlayPixels);
  await page.getByRole('button', { name: 'Fill' }).click();
  await page.getByTestId('viewer').getByLabel('Overlay', { exact: true }).uncheck();
  const hidden = await overlayPixelsWhen(page, canvas, (c) => overlayTotal(c) < overlayPixels * 0.02);
  expect(overlayTotal(hidden), JSON.stringify({ shown, hidden })).toBeLessThan(overlayPixels * 0.02);
  await page.getByTestId('viewer').getByLabel('Overlay', { exact: true }).check();

  // Volumes and model version as the server computed them.
  const ai = await page.request.get(`/api/trpc/review.aiSegmentation?input=${encodeURIComponent(JSON.stringify({ json: { caseId: cases.assisted.caseId } }))}`);
  const meta = ((await ai.json()) as { result: { data: { json: { model: { name: string; version: string }; volumesMl: Record<string, number> } } } }).result.data.json;
  await expect(page.getByTestId('model-version')).toHaveText(`${meta.model.name} ${meta.model.version}`);
  const format = (v: number) => v.toFixed(v < 10 ? 2 : 1);
  for (const key of ['edema', 'non_enhancing_tumor', 'enhancing_tumor', 'WT', 'TC', 'ET']) {
    await expect(page.getByTestId('ai-volumes').locator(`tr[data-volume="${key}"] td`).nth(1)).toHaveText(format(meta.volumesMl[key]!));
  }
  expect(meta.volumesMl.WT!).toBeCloseTo(meta.volumesMl.edema! + meta.volumesMl.non_enhancing_tumor! + meta.volumesMl.enhancing_tumor!, 6);

  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('ai-outcome')).toHaveText('accepted');
  const form = page.getByRole('form', { name: 'Decision form' });
  // An untouched form cannot be signed: nothing is pre-filled, and the rules stand beside each field.
  await form.getByLabel('Password (re-enter to sign)').fill(DEMO_PASSWORD);
  await expect(form.getByRole('button', { name: 'Sign decision' })).toBeDisabled();
  await expect(page.getByTestId('still-to-enter')).toContainText('tumour present, management plan, confidence');
  await expect(form.getByLabel('Probability of a high-grade tumour (%)')).toHaveValue('');
  await expect(form.getByLabel('Confidence')).toHaveValue('');
  await page.screenshot({ path: 'test-results/screens/review-untouched-form.png', fullPage: true });
  await form.getByLabel('Yes').check();
  await expect(page.getByTestId('edit-check-probabilityHighGrade')).toHaveAttribute('data-failed', 'true');
  await form.getByLabel('High grade').check();
  await form.getByLabel('Management plan').selectOption('resection');
  await form.getByLabel('Probability of a high-grade tumour (%)').fill('80');
  await form.getByLabel('Confidence').selectOption('4');
  await form.getByLabel('Note').fill('Enhancing rim, mass effect.');
  await expect(page.getByTestId('signature-meaning')).toContainText('By signing I confirm it as final');
  await form.getByLabel('Password (re-enter to sign)').fill('not-the-password');
  await form.getByRole('button', { name: 'Sign decision' }).click();
  await expect(form.getByRole('alert')).toHaveText(/wrong password/);
  await form.getByLabel('Password (re-enter to sign)').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign decision' }).click();
  const manifest = page.getByTestId('signed-decision');
  await expect(manifest).toBeVisible();
  await expect(manifest.getByTestId('signature-manifest')).toContainText(/Signed by Dr\. Clara Clinician \(clinician\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  await expect(manifest).toContainText('Meaning: “I reviewed this case myself');
  await expect(manifest).toContainText('AI segmentation accepted');
  await expect(page.getByTestId('review-status')).toHaveText('Signed');
  await page.screenshot({ path: 'test-results/screens/review-signed.png', fullPage: true });
});

test('a control-arm clinician sees the images without overlay, and the server refuses the AI output', async ({ page }) => {
  await login(page, 'clinician');
  await openCase(page, cases.control.caseId);
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-overlay', 'none');
  await expect(page.getByTestId('ai-panel')).toHaveCount(0);
  await expect(page.getByText('AI segmentation')).toHaveCount(0);
  const counts = await countOverlayPixels(page, page.getByTestId('viewer-canvas-0'));
  expect(counts.edema + counts.nonEnhancing + counts.enhancing).toBe(0);
  await page.screenshot({ path: 'test-results/screens/review-control.png', fullPage: true });

  for (const kind of ['ai-labels', 'edited-labels']) {
    const res = await page.request.get(`/api/review/cases/${cases.control.caseId}/files/${kind}`);
    expect(res.status()).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No AI segmentation is available for this case.' } });
  }
  const meta = await page.request.get(`/api/trpc/review.aiSegmentation?input=${encodeURIComponent(JSON.stringify({ json: { caseId: cases.control.caseId } }))}`);
  expect(meta.status()).toBe(404);
  expect(await meta.text()).not.toMatch(/pointwise|segtrial-unet|labels_sha|blind|control/i);
  const flair = await page.request.get(`/api/review/cases/${cases.control.caseId}/files/flair`);
  expect(flair.status()).toBe(200);
});

test('a clinician from another site gets NOT_FOUND for the case, its page and its files', async ({ page }) => {
  await login(page, 'clinician-b');
  await expect(page.getByTestId('worklist-row').filter({ hasText: cases.assisted.participantCode })).toHaveCount(0);
  const response = await page.goto(`/clinician/cases/${cases.assisted.caseId}`);
  expect(response?.status()).toBe(404);
  for (const kind of ['flair', 'ai-labels']) {
    const res = await page.request.get(`/api/review/cases/${cases.assisted.caseId}/files/${kind}`);
    expect(res.status()).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Case not found.' } });
  }
  // Their own site's case opens.
  await openCase(page, cases.otherSite.caseId);
});
