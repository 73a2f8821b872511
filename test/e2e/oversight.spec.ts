import { expect, test, type Page } from '@playwright/test';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { login as apiLogin, trpcQuery, uploadStudy } from './review-cases';
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

async function mutate<T>(baseUrl: string, cookie: string, procedure: string, input: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-segtrial-request': '1', origin: baseUrl },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${procedure}: ${res.status} ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

/**
 * A site changes its protocol mid-trial: a trial whose design charts from 5 baseline cases gets five
 * studies of site-a's original protocol and then one after its change (FLAIR and T2 as 2D with thicker
 * slices), all through the upload route and the real ingest. The monitor finds the alert with its
 * evidence and acknowledges it with a comment; the alert then shows as acknowledged.
 */
test('a site changes its protocol: the monitor sees the alert with its evidence and acknowledges it', async ({ page, baseURL }) => {
  test.setTimeout(600_000);
  const base = baseURL!;
  const subjects = await Promise.all(
    [0, 1, 2, 3, 4, 5].map(async (i) => {
      const subject = await generateSubject({ seed: 'e2e-oversight', index: i, site: 'site-a', size: 'tiny', protocol: i === 5 ? 'changed' : 'original' });
      return Object.fromEntries((['flair', 't1', 't1gd', 't2'] as const).map((role) => [role, encodeNifti(subject.images[role], { datatype: 'int16' })]));
    }),
  );
  const coordinator = await apiLogin(base, 'coordinator', DEMO_PASSWORD);
  const admin = await apiLogin(base, 'admin', DEMO_PASSWORD);
  const slug = `drift-${Date.now() % 1_000_000}`;
  const trial = await mutate<{ id: string }>(base, coordinator, 'trials.create', { slug, name: `Protocol drift ${slug}`, sites: [{ code: 'drift-site', name: 'Drift site' }] });
  await mutate(base, coordinator, 'trials.updateDesign', {
    trialId: trial.id,
    design: {
      randomization: { method: 'permuted_blocks', factors: [], blockSizes: [2] },
      eligibility: [{ id: 'adult', text: 'Age 18 years or older', kind: 'inclusion' }],
      targetSampleSize: 100,
      oversight: { baselineCount: 5, lambda: 0.2, inControlArl: 370, fastSignSeconds: 30 },
    },
  });
  await mutate(base, coordinator, 'trials.goLive', { trialId: trial.id });
  const { sites } = await trpcQuery<{ sites: { id: string; code: string }[] }>(base, coordinator, 'trials.get', { trialId: trial.id });
  const users = await trpcQuery<{ id: string; username: string }[]>(base, admin, 'admin.listUsers');
  await mutate(base, admin, 'admin.setMembership', { userId: users.find((u) => u.username === 'monitor')!.id, trialId: trial.id, siteId: null });
  for (const [i, files] of subjects.entries()) {
    const enrolled = await mutate<{ id: string }>(base, coordinator, 'participants.enroll', {
      trialId: trial.id,
      siteId: sites[0]!.id,
      studyId: `DR-${String(i + 1).padStart(3, '0')}`,
      baseline: { age: 60, sex: 'F', scannerVendor: 'Siemens', fieldStrength: '3T' },
      eligibility: { adult: true },
      consentDate: new Date().toISOString().slice(0, 10),
    });
    await mutate(base, coordinator, 'participants.randomize', { trialId: trial.id, participantId: enrolled.id });
    await uploadStudy(base, coordinator, trial.id, enrolled.id, files, 300_000);
  }

  await login(page, 'monitor');
  await page.goto(`/oversight/${trial.id}`);
  const alerts = page.getByTestId('oversight-alerts');
  const alert = alerts.locator('tr', { hasText: 'drift-site' }).filter({ hasText: 'Thickest slice' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('above its limits');
  await expect(alert).toContainText(/baseline mean 4(\.0+)? over 5 cases/);
  await page.screenshot({ path: `${SHOTS}/oversight-alert.png`, fullPage: true });
  await alert.getByLabel('Acknowledgement comment').fill('Site changed FLAIR/T2 to 2D 2 mm; asked the site to revert.');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toContainText('acknowledged');
  await expect(alert).toContainText('asked the site to revert');
  await expect(page.locator('section[aria-label="Alerts"]').getByText(/\d+ open/)).toBeVisible();
});
