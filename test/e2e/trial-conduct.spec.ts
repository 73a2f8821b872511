import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, login } from './support';

/** A tRPC call over HTTP with the page's session cookie, as the browser's client sends it. */
async function trpc<T>(request: APIRequestContext, baseURL: string, procedure: string, input: unknown, type: 'query' | 'mutation' = 'query'): Promise<T> {
  const res =
    type === 'query'
      ? await request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await request.post(`/api/trpc/${procedure}`, { headers: { 'x-segtrial-request': '1', 'content-type': 'application/json', origin: baseURL }, data: { json: input } });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!res.ok() || !body.result) throw new Error(`${procedure}: ${res.status()} ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/conduct-${name}.png`, fullPage: true });

test('an ineligible patient is marked so, has no randomize button, and a signed waiver makes randomization possible; a monitor query is answered by the coordinator', async ({
  page,
  baseURL,
  browser,
}) => {
  await login(page, 'coordinator');
  const [trial] = await trpc<{ id: string; sites: { id: string; code: string }[] }[]>(page.request, baseURL!, 'trials.list', undefined);
  const site = trial!.sites.find((s) => s.code === 'site-a')!;
  const studyId = `WV-${Date.now() % 100000}`;
  const enrolled = await trpc<{ id: string }>(
    page.request,
    baseURL!,
    'participants.enroll',
    {
      trialId: trial!.id,
      siteId: site.id,
      studyId,
      baseline: { age: 61, sex: 'F', scannerVendor: 'Siemens', fieldStrength: '3T' },
      levels: { age_band: '50-64' },
      eligibility: { adult: true, mri_complete: false, consent: true, prior_treatment: false },
      consentDate: '2026-02-01',
    },
    'mutation',
  );

  await page.goto(`/coordinator/${trial!.id}`);
  // The demo trial lists over a hundred patients: find this one with the list's own filter.
  await page.getByRole('search', { name: 'Filter patients' }).getByLabel('Study ID').fill(studyId);
  const row = page.locator(`tr[data-study-id="${studyId}"]`);
  await expect(row.getByTestId('eligibility-badge')).toHaveText('ineligible');
  await expect(row.getByRole('button', { name: 'Randomize' })).toHaveCount(0);
  await expect(page.getByLabel('CONSORT flow diagram')).toContainText('Not meeting eligibility criteria');

  await page.goto(`/coordinator/${trial!.id}/participants/${enrolled.id}`);
  await expect(page.getByTestId('ineligible-notice')).toContainText('does not meet the eligibility criteria');
  await expect(page.getByRole('button', { name: 'Randomize' })).toHaveCount(0);
  await shot(page, 'ineligible');
  await page.getByRole('button', { name: 'Record a signed waiver…' }).click();
  const waiver = page.getByRole('form', { name: 'Eligibility waiver' });
  await waiver.getByLabel('Reason for the waiver (recorded with your signature)').fill('T2 repeated within the protocol window');
  await waiver.getByLabel('Password (re-enter to sign)').fill(DEMO_PASSWORD);
  await waiver.getByRole('button', { name: 'Sign waiver' }).click();
  await expect(page.getByTestId('eligibility-waiver')).toContainText('T2 repeated within the protocol window');
  await expect(page.getByRole('button', { name: 'Randomize' })).toBeVisible();
  await shot(page, 'waived');

  // The monitor raises a query on this patient; the coordinator answers it; the monitor closes it.
  const monitorContext = await browser.newContext();
  const monitor = await monitorContext.newPage();
  await login(monitor, 'monitor');
  await monitor.goto('/monitor');
  const raise = monitor.getByRole('form', { name: 'Raise a query' });
  await raise.getByLabel('Query participant').selectOption({ label: studyId });
  await raise.getByLabel('Data point').fill('consent date');
  await raise.getByLabel('Query text').fill('Consent date precedes the screening visit: please confirm.');
  await raise.getByRole('button', { name: 'Raise query' }).click();
  await expect(monitor.getByTestId('queries').locator('tr', { hasText: studyId })).toContainText('open');

  await page.reload();
  const queries = page.getByLabel('Data queries');
  await queries.getByLabel('Answer', { exact: true }).fill('Checked against the signed form: consent on 2026-02-01, screening 2026-02-03.');
  await queries.getByRole('button', { name: 'Answer' }).click();
  await expect(queries.locator('tr[data-query-status="answered"]')).toContainText('Checked against the signed form');

  await monitor.reload();
  const answered = monitor.getByTestId('queries').locator('tr', { hasText: studyId });
  await expect(answered).toContainText('answered');
  await expect(answered).toContainText('Checked against the signed form');
  await shot(monitor, 'query-answered');
  await answered.getByRole('button', { name: 'Close' }).click();
  await expect(monitor.getByTestId('queries').locator('tr', { hasText: studyId })).toContainText('closed');
  // The audit trail shows the query's steps with who did them.
  await expect(monitor.getByTestId('audit-trail').first()).toContainText('query.');
  await monitorContext.close();
});

test('an admin creates a clinician for one site, who sets a password through the one-time link and sees only that site', async ({ page, browser, baseURL }) => {
  await login(page, 'admin');
  await page.goto('/admin');
  const form = page.getByRole('form', { name: 'Create an account' });
  const username = `dr.site-b.${Date.now() % 100000}`;
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Name', { exact: true }).fill('Dr. Site B');
  await form.getByLabel('Role').selectOption('clinician');
  const access = form.getByLabel('Trial and site');
  await access.selectOption((await access.locator('option', { hasText: ': site-b (' }).first().getAttribute('value')) ?? '');
  await form.getByRole('button', { name: 'Create account' }).click();
  const link = await page.getByTestId('reset-link').textContent();
  expect(link).toMatch(/\/login\/reset\?token=/);
  await expect(page.locator(`tr[data-username="${username}"]`)).toContainText('site-b');
  await shot(page, 'admin-created');

  const context = await browser.newContext();
  const newcomer = await context.newPage();
  await newcomer.goto(link!.replace(/^https?:\/\/[^/]+/, baseURL!));
  await newcomer.getByLabel('New password (at least 12 characters)').fill('site-b-clinician-password');
  await newcomer.getByLabel('Repeat it').fill('site-b-clinician-password');
  await newcomer.getByRole('button', { name: 'Set password' }).click();
  await expect(newcomer.getByRole('status')).toContainText('is set');
  await login(newcomer, username, 'site-b-clinician-password');
  await expect(newcomer).toHaveURL(/\/clinician$/);
  const sites = await newcomer.getByTestId('worklist-row').locator('td:nth-child(3)').allTextContents();
  expect(sites.every((s) => s === 'site-b')).toBe(true);
  // The site-A clinician's cases are not among them.
  const mine = await trpc<{ caseId: string }[]>(newcomer.request, baseURL!, 'review.worklist', {});
  const siteA = await (async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await login(p, 'clinician');
    const rows = await trpc<{ caseId: string; site: string }[]>(p.request, baseURL!, 'review.worklist', {});
    await ctx.close();
    return rows.filter((r) => r.site === 'site-a');
  })();
  for (const c of siteA) expect(mine.map((m) => m.caseId)).not.toContain(c.caseId);
  console.log(`site-b clinician sees ${mine.length} case(s); site-a has ${siteA.length}`);
  await shot(newcomer, 'site-b-worklist');
  await context.close();
});
