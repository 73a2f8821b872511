import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, login } from './support';

const SHOTS = 'test-results/screens';

async function demoTrialId(page: Page): Promise<string> {
  await page.goto('/dsmb');
  const href = await page.getByRole('link', { name: 'Closed report' }).first().getAttribute('href');
  expect(href).toMatch(/^\/dsmb\/[0-9a-f-]{36}$/);
  return href!.split('/')[2]!;
}

test('a DSMB member reads the closed report by arm under the signed analysis plan and signs a recommendation', async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, 'dsmb');
  await expect(page).toHaveURL(/\/dsmb$/);
  const trialId = await demoTrialId(page);
  await page.goto(`/dsmb/${trialId}`);
  await expect(page.getByTestId('closed-report')).toContainText('CLOSED REPORT');
  await expect(page.getByTestId('sap-lock')).toContainText('version 1');
  // Two arms in the accrual table, the interim boundaries with futility, and KM curves by arm.
  await expect(page.locator('tr[data-arm]')).toHaveCount(2);
  const chart = page.locator('[data-chart="interim-boundaries"]');
  await expect(chart.locator('circle.boundary-look')).toHaveCount(3);
  await expect(chart.locator('rect.futility-look')).toHaveCount(2);
  await expect(page.locator('[data-chart="kaplan-meier"]').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/dsmb-closed-report.png`, fullPage: true });

  const form = page.getByRole('form', { name: 'Record a recommendation' });
  await form.getByLabel('Continue unchanged').check();
  await form.getByLabel(/Rationale/).fill('No safety signal; continue to the next planned look.');
  await form.getByLabel('Password (your signature)').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign the recommendation' }).click();
  await expect(form.getByRole('status')).toContainText('recorded');
  await expect(page.getByTestId('dsmb-recommendations')).toContainText('Dora DSMB');
  await page.screenshot({ path: `${SHOTS}/dsmb-recommendation.png`, fullPage: true });
});

test('the trial statistician, a coordinator and a clinician get 403 on the closed report; the statistician reads the open report', async ({ page }) => {
  await login(page, 'dsmb');
  const trialId = await demoTrialId(page);
  await page.context().clearCookies();
  for (const who of ['statistician', 'coordinator', 'clinician']) {
    await login(page, who);
    const response = await page.goto(`/dsmb/${trialId}`);
    expect(response?.status(), `${who} closed report`).toBe(403);
    await expect(page.getByTestId('closed-report')).toHaveCount(0);
    if (who !== 'statistician') {
      const open = await page.goto(`/dsmb/${trialId}/open`);
      expect(open?.status(), `${who} open report`).toBe(403);
    } else {
      await page.goto(`/dsmb/${trialId}/open`);
      await expect(page.getByTestId('open-report')).toContainText('Pooled over the arms');
      await expect(page.getByTestId('sap-lock')).toContainText('version 1');
      await expect(page.getByTestId('information-fraction')).toContainText('maximum of');
      await page.screenshot({ path: `${SHOTS}/dsmb-open-report.png`, fullPage: true });
      await page.goto(`/statistician/${trialId}/plan`);
      await expect(page.getByTestId('sap-lock')).toHaveAttribute('data-sap-version', '1');
      await expect(page.getByRole('button', { name: 'Lock and sign version 2' })).toBeVisible();
      await expect(page.getByTestId('randomization-simulation')).toContainText('guesses the next one right');
      await page.screenshot({ path: `${SHOTS}/statistician-plan.png`, fullPage: true });
    }
    await page.context().clearCookies();
  }
});
