import { expect, test } from '@playwright/test';
import { login, openStatisticianReport } from './support';

const SHOTS = 'test-results/screens';

test('a statistician sees Kaplan-Meier curves with numbers at risk and the interim boundaries', async ({ page }) => {
  test.setTimeout(360_000);
  await login(page, 'statistician');
  const href = await openStatisticianReport(page);

  // The signed analysis plan (v1, PFS) makes time to event primary; every report names the plan.
  await expect(page.getByTestId('primary-outcome')).toHaveAttribute('data-primary', 'time_to_event');
  await expect(page.getByTestId('sap-lock')).toContainText('version 1');
  await expect(page.getByRole('heading', { name: 'Time to event by arm (primary analysis)' })).toBeVisible();
  const km = page.locator('[data-chart="kaplan-meier"]');
  await expect(km).toHaveCount(2);
  await expect(km.first().locator('path.km-curve')).toHaveCount(2);
  expect(await km.first().locator('g.risk-table text.at-risk').count()).toBeGreaterThanOrEqual(6);
  await expect(page.getByText('Cox, Efron ties, stratified by randomization strata').first()).toBeVisible();
  await expect(page.getByText(/Population: Complete cases of the intention-to-treat population/).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/statistician-survival.png`, fullPage: true });

  await page.getByRole('navigation', { name: 'Report' }).getByRole('link', { name: 'Interim monitoring' }).click();
  await expect(page).toHaveURL(`${href}/interim`);
  const chart = page.locator('[data-chart="interim-boundaries"]');
  await expect(chart.locator('circle.boundary-look')).toHaveCount(3);
  await expect(chart.locator('circle.observed-z')).toHaveCount(1);
  // The plan's non-binding futility bounds (β-spending) at the two interim looks.
  await expect(chart.locator('rect.futility-look')).toHaveCount(2);
  await expect(page.getByTestId('sap-lock')).toBeVisible();
  await expect(page.getByTestId('interim-current')).toContainText('stratified log-rank z');
  await page.screenshot({ path: `${SHOTS}/statistician-interim.png`, fullPage: true });

  // The survival decision curves per arm (or, per arm, why not: too few scored participants with follow-up).
  await page.getByRole('navigation', { name: 'Report' }).getByRole('link', { name: 'Decision curves' }).click();
  await expect(page.getByTestId('survival-dca')).toContainText('progression or death by 6 months');
  await expect(page.getByTestId('survival-dca').locator('[data-arm]')).toHaveCount(2);
  // The demo's SIMULATED reads (seeded after the simulated participants) give both arms a model curve:
  // bootstrap bands on treat all and the model in each arm, and the report says the reads are simulated.
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId('survival-dca').locator('path.ci-band').count();
      },
      { timeout: 120_000, intervals: [5_000] },
    )
    .toBe(4);
  await expect(page.getByTestId('simulated-reads')).toContainText('SIMULATED');
  await page.screenshot({ path: `${SHOTS}/statistician-survival-dca.png`, fullPage: true });

  // CONSORT-AI / SPIRIT-AI: items filled from the records with their sources; the unknown ones marked missing.
  await page.getByRole('navigation', { name: 'Report' }).getByRole('link', { name: 'CONSORT-AI / SPIRIT-AI' }).click();
  await expect(page.getByTestId('consort-ai').locator('tr[data-status]')).toHaveCount(14);
  await expect(page.getByTestId('consort-ai').locator('tr[data-status="filled"]').first()).toBeVisible();
  await expect(page.getByTestId('sap-lock')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/statistician-checklists.png`, fullPage: true });
});

test('a coordinator and a clinician get 403 on the survival report and the interim page', async ({ page }) => {
  await login(page, 'statistician');
  await page.goto('/statistician');
  const href = await page.getByRole('link', { name: 'Open report' }).first().getAttribute('href');
  // End the statistician's session by dropping its cookie: a logout still in flight while the next
  // login starts would race it.
  await page.context().clearCookies();
  for (const who of ['coordinator', 'clinician']) {
    await login(page, who);
    for (const path of [href!, `${href}/interim`]) {
      const response = await page.goto(path);
      expect(response?.status(), `${who} ${path}`).toBe(403);
      await expect(page.locator('[data-chart="kaplan-meier"], [data-chart="interim-boundaries"]')).toHaveCount(0);
    }
    // The 403 page has no navigation: end the session by dropping its cookie.
    await page.context().clearCookies();
  }
});
