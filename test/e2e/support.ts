import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = process.env.SEGTRIAL_DEMO_PASSWORD ?? 'e2e-demo-password';

export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}
