import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, login } from './support';

const HOMES = [
  { username: 'admin', path: '/admin', heading: 'Administration' },
  { username: 'coordinator', path: '/coordinator', heading: 'Trial coordination' },
  { username: 'clinician', path: '/clinician', heading: 'Worklist' },
  { username: 'statistician', path: '/statistician', heading: 'Analysis' },
  { username: 'monitor', path: '/monitor', heading: 'Monitoring' },
] as const;

for (const home of HOMES) {
  test(`${home.username} logs in and lands on their home page`, async ({ page }) => {
    await login(page, home.username);
    await expect(page).toHaveURL(new RegExp(`${home.path}$`));
    await expect(page.getByRole('heading', { level: 1, name: home.heading })).toBeVisible();
    await page.screenshot({ path: `test-results/screens/home-${home.username}.png`, fullPage: true });
  });
}

test('a clinician cannot open a coordinator page, and logout ends the session', async ({ page, context }) => {
  await login(page, 'clinician');
  const response = await page.goto('/coordinator');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: '403 · Not permitted' })).toBeVisible();
  await expect(page.getByText('Trial coordination')).toHaveCount(0);

  await page.goto('/clinician');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'segtrial_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  // The old cookie value no longer opens anything, even if replayed.
  await context.addCookies([{ name: 'segtrial_session', value: session!.value, domain: '127.0.0.1', path: '/' }]);
  await page.goto('/clinician');
  await expect(page).toHaveURL(/\/login\?next=%2Fclinician$/);
});

test('the login page says where accounts come from and returns to the page that was asked for', async ({ page }) => {
  await page.goto('/monitor');
  await expect(page).toHaveURL(/\/login\?next=%2Fmonitor$/);
  await expect(page.getByTestId('account-help')).toContainText('administrator creates your account');
  await page.getByLabel('Username').fill('monitor');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/monitor$/);
});

test('a wrong password shows a clear message and no session', async ({ page, context }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('coordinator');
  await page.getByLabel('Password').fill('definitely-wrong');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.locator('form p.error[role=alert]')).toHaveText('Wrong username or password.');
  expect((await context.cookies()).find((c) => c.name === 'segtrial_session')).toBeUndefined();
});

test('anonymous visitors are sent to the login page', async ({ page }) => {
  await page.goto('/statistician');
  await expect(page).toHaveURL(/\/login\?next=%2Fstatistician$/);
});
