import { expect as baseExpect, test } from '@playwright/test';
import { login } from './support';

// The e2e server seeds the demo's simulated participants in the background: give pages more time.
const expect = baseExpect.configure({ timeout: 30_000 });
test.use({ navigationTimeout: 90_000, actionTimeout: 30_000 });

const SHOTS = 'test-results/screens';

test('a coordinator runs the randomization design simulation on the design page, and going live commits it beside the seed', async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, 'coordinator');
  await page.getByLabel('Name', { exact: true }).fill('E2E design check trial');
  await page.getByLabel('Short name (slug)').fill(`e2e-sim-${Date.now().toString(36)}`);
  await page.getByLabel('Site 1 code').fill('sim-site');
  await page.getByLabel('Site 1 name').fill('Simulation hospital');
  await page.getByRole('button', { name: 'Create trial' }).click();
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel('Block sizes').fill('2, 4');
  await page.getByRole('button', { name: 'Save design' }).click();
  await expect(page.getByTestId('setup-message')).toHaveText('Design saved.');

  const panel = page.getByTestId('design-simulation');
  await expect(panel.getByTestId('design-simulation-status')).toContainText('Not run yet');
  await panel.getByLabel('Simulated trials').fill('50');
  await panel.getByRole('button', { name: 'Run simulation' }).click();
  await expect(panel.getByTestId('design-simulation-status')).toContainText('on the design as saved: going live commits it');
  const figures = page.getByTestId('randomization-simulation');
  await expect(figures).toContainText('50 simulated trials');
  await expect(figures.locator('tbody tr')).toHaveCount(3);
  await expect(figures).toContainText('guesses the next one right with probability');
  await page.screenshot({ path: `${SHOTS}/design-simulation.png`, fullPage: true });

  await page.getByRole('button', { name: 'Go live' }).click();
  await page.getByRole('button', { name: 'Confirm go-live' }).click();
  await expect(page.getByTestId('setup-message')).toContainText('The trial is live');
  await page.reload();
  await expect(panel.getByTestId('design-simulation-status')).toContainText('Committed with the live seed');
  await expect(panel.getByTestId('design-simulation-status')).toContainText('50 simulated trials');
  await expect(panel.getByRole('button', { name: 'Run simulation' })).toHaveCount(0);
  await expect(figures).toContainText('50 simulated trials');
  await page.screenshot({ path: `${SHOTS}/design-simulation-live.png`, fullPage: true });
});
