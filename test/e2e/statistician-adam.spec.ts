import { expect, test } from '@playwright/test';
import { login, openStatisticianReport } from './support';

const SHOTS = 'test-results/screens';

test('a statistician sees the multiple-imputation sensitivity analysis and downloads ADaM ADSL and ADTTE; a clinician cannot', async ({ page, browser }) => {
  test.setTimeout(360_000);
  await login(page, 'statistician');
  const href = await openStatisticianReport(page);
  const trialId = href.split('/').at(-1)!;

  const mi = page.getByTestId('multiple-imputation');
  await expect(mi.getByTestId('mi-settings')).toHaveAttribute('data-prespecified', 'true');
  await expect(mi.getByTestId('mi-settings')).toContainText('m = 40 imputations');
  await expect(mi.locator('tr[data-outcome="progressionFree6m"][data-analysis="complete-case"]')).toBeVisible();
  await expect(mi.locator('tr[data-outcome="progressionFree6m"][data-analysis="multiple-imputation"]')).toContainText('Rubin’s rules');
  await mi.scrollIntoViewIfNeeded();
  await mi.screenshot({ path: `${SHOTS}/statistician-multiple-imputation.png` });

  const links = page.getByTestId('export-adam').getByRole('link');
  await expect(links).toHaveCount(3);
  const adsl = await page.request.get((await links.nth(0).getAttribute('href'))!);
  expect(adsl.status()).toBe(200);
  expect((await adsl.text()).split('\r\n')[0]).toMatch(/^STUDYID,USUBJID,SUBJID,SITEID,/);
  const adtte = await page.request.get((await links.nth(1).getAttribute('href'))!);
  expect(adtte.status()).toBe(200);
  const lines = (await adtte.text()).trim().split('\r\n');
  expect(lines[0]).toContain('PARAMCD');
  expect(lines.filter((l) => l.includes(',PFS,')).length).toBe(lines.filter((l) => l.includes(',OS,')).length);

  const other = await browser.newPage();
  await login(other, 'clinician');
  const refused = await other.request.get(`/api/analytics/${trialId}/export?what=adam:adsl&format=csv`);
  expect(refused.status()).toBe(403);
  expect(await refused.text()).not.toContain('ARMCD');
  await other.close();
});
