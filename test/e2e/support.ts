import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = process.env.SEGTRIAL_DEMO_PASSWORD ?? 'e2e-demo-password';

export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  // scrypt and a first server render take many seconds on a loaded two-core machine.
  await expect(page.getByTestId('current-user')).toBeVisible({ timeout: 60_000 });
}

/**
 * Opens the first trial's statistician report once the demo's simulated follow-up (seeded in the
 * background on first start) is in it; returns the report's path.
 */
export async function openStatisticianReport(page: Page): Promise<string> {
  await page.goto('/statistician');
  const href = await page.getByRole('link', { name: 'Open report' }).first().getAttribute('href');
  expect(href).toMatch(/^\/statistician\/[0-9a-f-]{36}$/);
  await expect
    .poll(
      async () => {
        await page.goto(href!);
        return Number(await page.getByTestId('snapshot').getAttribute('data-with-outcome'));
      },
      { timeout: 300_000, intervals: [3_000] },
    )
    .toBeGreaterThanOrEqual(160);
  return href!;
}
