import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { login, openStatisticianReport } from './support';

const SHOTS = 'test-results/screens';

test('a statistician reads every report page of the demo trial and downloads the CSV and the PDF', async ({ page }) => {
  test.setTimeout(300_000);
  await login(page, 'statistician');
  const href = await openStatisticianReport(page);

  // Outcomes and CONSORT: the arm comparison names its methods; the CONSORT diagram is drawn.
  await expect(page.getByRole('heading', { name: 'Progression-free at 6 months (binary form of the primary endpoint)' })).toBeVisible();
  await expect(page.getByText('Newcombe hybrid score (method 10)').first()).toBeVisible();
  await expect(page.getByText('Cochran-Mantel-Haenszel test', { exact: true }).first()).toBeVisible();
  expect(await page.locator('section[aria-label="CONSORT"] svg rect').count()).toBeGreaterThan(5);
  await page.screenshot({ path: `${SHOTS}/statistician-overview.png`, fullPage: true });

  const tabs = page.getByRole('navigation', { name: 'Report' });
  // Decision curves: a chart per arm with treat-all / treat-none curves, axis labels and a legend.
  await tabs.getByRole('link', { name: 'Decision curves' }).click();
  await expect(page).toHaveURL(`${href}/decision-curves`);
  // The binary curves' panel (the survival decision curves below draw the same chart once the demo's simulated reads are in).
  const curves = page.locator('section[aria-label="Decision curves"] [data-chart="decision-curve"]');
  await expect(curves).toHaveCount(2);
  expect(await curves.first().locator('path.curve').count()).toBeGreaterThanOrEqual(2);
  await expect(curves.first().locator('text', { hasText: 'Threshold probability' })).toHaveCount(1);
  await expect(curves.first().locator('g.legend text', { hasText: 'Treat all' })).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/statistician-decision-curves.png`, fullPage: true });

  // Subgroups: forest plots with one interval per level and interaction tests in the headings.
  await tabs.getByRole('link', { name: 'Subgroups & bias' }).click();
  const forest = page.locator('[data-chart="forest"]').first();
  await expect(forest).toBeVisible();
  expect(await forest.locator('rect.point').count()).toBeGreaterThanOrEqual(8);
  await expect(forest.locator('text', { hasText: 'interaction p =' }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/statistician-subgroups.png`, fullPage: true });

  // External validation: the section is there and says what it could and could not compute.
  await tabs.getByRole('link', { name: 'External validation' }).click();
  await expect(page.getByRole('heading', { name: /internal vs external/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/statistician-validation.png`, fullPage: true });

  // CSV download: the decision curves in dcurves' columns, with the snapshot headers.
  await page.goto(href);
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-dca').click()]);
  const csv = readFileSync(await csvDownload.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    'arm,analysis,variable,label,n,threshold,pos_rate,tp_rate,fp_rate,harm,net_benefit,net_intervention_avoided,standardized_net_benefit,net_benefit_lower,net_benefit_upper',
  );
  const [datasetDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-dataset').click()]);
  const dataset = readFileSync(await datasetDownload.path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(dataset[0]).toMatch(/^study_id,site,site_external,arm,stratum,/);
  expect(dataset.filter((l) => l.startsWith('SIM-')).length).toBe(160);

  // PDF: rendered by Chromium on the server, a real multi-page PDF.
  const [pdfDownload] = await Promise.all([page.waitForEvent('download', { timeout: 180_000 }), page.getByTestId('export-pdf').click()]);
  const pdf = readFileSync(await pdfDownload.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(pages.length).toBeGreaterThanOrEqual(3);
});

test('a clinician can neither open the report nor download an export', async ({ page }) => {
  await login(page, 'statistician');
  await page.goto('/statistician');
  const href = await page.getByRole('link', { name: 'Open report' }).first().getAttribute('href');
  await page.getByRole('button', { name: 'Log out' }).click();
  // The logout finishes (its cookie cleared, its redirect done) before the next login starts: a late
  // logout answer could otherwise land on top of the clinician's sign-in.
  await expect(page).toHaveURL(/\/login$/, { timeout: 30_000 });

  await login(page, 'clinician');
  const response = await page.goto(href!);
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId('snapshot')).toHaveCount(0);
  const trialId = href!.split('/').pop();
  const exportResponse = await page.request.get(`/api/analytics/${trialId}/export?what=dataset&format=csv`);
  expect(exportResponse.status()).toBe(403);
  expect(await exportResponse.text()).not.toContain('SIM-');
});
