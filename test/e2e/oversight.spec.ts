import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, login } from './support';

const SHOTS = 'test-results/screens';

async function openDashboard(page: Page): Promise<string> {
  await page.goto('/oversight');
  const href = await page.getByRole('link', { name: 'Open dashboard' }).first().getAttribute('href');
  expect(href).toMatch(/^\/oversight\/[0-9a-f-]{36}$/);
  await page.goto(href!);
  await expect(page.getByRole('heading', { name: /^AI oversight: / })).toBeVisible();
  return href!;
}

test('an admin suspends the AI at a site with a signed reason and resumes it; a monitor sees the state but no switch', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await login(page, 'admin');
  const href = await openDashboard(page);
  const availability = page.locator('section[aria-label="AI availability"]');
  await expect(availability.getByText('available', { exact: true })).toBeVisible();

  const suspendA = page.getByRole('form', { name: 'Suspend the AI for Site site-a' });
  await suspendA.getByLabel('Reason for Site site-a').fill('Protocol change at site A under review.');
  await suspendA.getByLabel('Password for Site site-a').fill('not the password');
  await suspendA.getByRole('button', { name: 'Sign and suspend' }).click();
  await expect(suspendA.getByRole('alert')).toContainText('wrong password');
  await suspendA.getByLabel('Password for Site site-a').fill(DEMO_PASSWORD);
  await suspendA.getByRole('button', { name: 'Sign and suspend' }).click();
  await expect(availability.getByText('suspended at site-a')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Suspensions and resumptions' }).getByRole('row')).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/oversight-suspended.png`, fullPage: true });

  // A monitor sees the suspension and the charts' state, and has no switch.
  const monitorContext = await browser.newContext();
  const monitor = await monitorContext.newPage();
  await login(monitor, 'monitor');
  await monitor.goto(href);
  await expect(monitor.locator('section[aria-label="AI availability"]').getByText('suspended at site-a')).toBeVisible();
  await expect(monitor.getByTestId('ai-switches')).toHaveCount(0);
  await expect(monitor.locator('section[aria-label="Alerts"]')).toBeVisible();
  await expect(monitor.locator('section[aria-label="Input quality"]').getByText(/Registration NMI/)).toBeVisible();
  await monitorContext.close();

  const resumeA = page.getByRole('form', { name: 'Resume the AI for Site site-a' });
  await resumeA.getByLabel('Reason for Site site-a').fill('Site A reverted to the validated protocol.');
  await resumeA.getByLabel('Password for Site site-a').fill(DEMO_PASSWORD);
  await resumeA.getByRole('button', { name: 'Sign and resume' }).click();
  await expect(availability.getByText('available', { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Suspensions and resumptions' }).getByRole('row')).toHaveCount(3);
});

test('a clinician and a coordinator cannot open the oversight pages', async ({ page }) => {
  for (const username of ['clinician', 'coordinator']) {
    await login(page, username);
    const response = await page.goto('/oversight');
    expect(response?.status()).toBe(403);
    await page.context().clearCookies();
  }
});
