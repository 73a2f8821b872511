import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, login } from './support';
import { login as apiLogin, subjectFiles, trpcQuery, uploadStudy } from './review-cases';

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
  // The monitor may oversee other trials (specs create their own): this one's queries panel.
  const demoQueries = monitor.getByRole('region', { name: /^Data queries SegTrial demo/ });
  const raise = demoQueries.getByRole('form', { name: 'Raise a query' });
  await raise.getByLabel('Query participant').selectOption({ label: studyId });
  await raise.getByLabel('Data point').fill('consent date');
  await raise.getByLabel('Query text').fill('Consent date precedes the screening visit: please confirm.');
  await raise.getByRole('button', { name: 'Raise query' }).click();
  await expect(demoQueries.getByTestId('queries').locator('tr', { hasText: studyId })).toContainText('open');

  await page.reload();
  const queries = page.getByLabel('Data queries');
  await queries.getByLabel('Answer', { exact: true }).fill('Checked against the signed form: consent on 2026-02-01, screening 2026-02-03.');
  await queries.getByRole('button', { name: 'Answer' }).click();
  await expect(queries.locator('tr[data-query-status="answered"]')).toContainText('Checked against the signed form');

  await monitor.reload();
  const answered = demoQueries.getByTestId('queries').locator('tr', { hasText: studyId });
  await expect(answered).toContainText('answered');
  await expect(answered).toContainText('Checked against the signed form');
  await shot(monitor, 'query-answered');
  await answered.getByRole('button', { name: 'Close' }).click();
  await expect(demoQueries.getByTestId('queries').locator('tr', { hasText: studyId })).toContainText('closed');
  // The audit trail shows the query's steps with who did them.
  await expect(monitor.getByRole('region', { name: /^Audit trail SegTrial demo/ }).getByTestId('audit-trail')).toContainText('query.');
  await monitorContext.close();
});

/**
 * Gives one randomized participant at `site` a study (a tiny synthetic one through the real upload
 * and ingest), unless a participant there already has one; so the worklists compared below are not
 * empty whichever specs ran before.
 */
async function ensureCaseAt(baseURL: string, site: string): Promise<void> {
  const coordinator = await apiLogin(baseURL, 'coordinator', DEMO_PASSWORD);
  const [trial] = await trpcQuery<{ id: string; slug: string }[]>(baseURL, coordinator, 'trials.list');
  const people = await trpcQuery<{ id: string; site: string; randomized: boolean; imaging: { studies: number } }[]>(baseURL, coordinator, 'participants.list', { trialId: trial!.id });
  if (people.some((p) => p.site === site && p.randomized && p.imaging.studies > 0)) return;
  const target = people.find((p) => p.site === site && p.randomized);
  if (!target) throw new Error(`no randomized participant at ${site}`);
  await uploadStudy(baseURL, coordinator, trial!.id, target.id, await subjectFiles(site === 'site-b' ? 901 : 902, 'tiny'), 240_000);
}

test('an admin creates a clinician for one site, who sets a password through the one-time link and sees only that site', async ({ page, browser, baseURL }) => {
  test.setTimeout(600_000);
  // Cases at both sites first, so the comparison below is between real, non-empty worklists.
  await ensureCaseAt(baseURL!, 'site-b');
  await ensureCaseAt(baseURL!, 'site-a');
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
  await expect(newcomer.getByTestId('worklist-row').first()).toBeVisible();
  const sites = await newcomer.getByTestId('worklist-row').locator('td:nth-child(3)').allTextContents();
  expect(sites.length).toBeGreaterThan(0);
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
  // Both lists hold cases: the newcomer sees site B's (as many as the page shows) and none of site A's.
  expect(mine.length).toBeGreaterThan(0);
  expect(siteA.length).toBeGreaterThan(0);
  expect(sites).toHaveLength(mine.length);
  for (const c of siteA) expect(mine.map((m) => m.caseId)).not.toContain(c.caseId);
  console.log(`site-b clinician sees ${mine.length} case(s); site-a has ${siteA.length}`);
  await shot(newcomer, 'site-b-worklist');
  await context.close();
});

test('an admin signs a protocol amendment that changes the target size and, under a new commitment, the block sizes; reports split by protocol version', async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  // The demo coordinator holds two of the three sites: the page says amending needs them all.
  await login(page, 'coordinator');
  const [trial] = await trpc<{ id: string; sites: { id: string; code: string }[] }[]>(page.request, baseURL!, 'trials.list', undefined);
  await page.goto(`/coordinator/${trial!.id}`);
  await page.getByRole('navigation', { name: 'Trial' }).getByRole('link', { name: 'Amendments' }).click();
  await expect(page.getByTestId('protocol-version')).toHaveText('1');
  await expect(page.getByTestId('amend-needs-all-sites')).toContainText('every site');
  await expect(page.getByRole('form', { name: 'Protocol amendment' })).toHaveCount(0);
  await page.context().clearCookies();
  await login(page, 'admin');
  await page.goto(`/coordinator/${trial!.id}/amendments`);
  const form = page.getByRole('form', { name: 'Protocol amendment' });
  await form.getByLabel('Target sample size').fill('300');
  await form.getByLabel('Change the randomization parameters').check();
  await form.getByLabel('Block sizes').fill('4, 8');
  await form.getByLabel('Amendment summary').fill('Target raised to 300; blocks of 4 and 8 after the DSMB noted predictable small blocks.');
  await form.getByLabel('Password (re-enter to sign)').fill('not-my-password');
  await form.getByRole('button', { name: 'Sign amendment' }).click();
  await expect(page.getByTestId('amendment-message')).toContainText(/password/i);
  await form.getByLabel('Password (re-enter to sign)').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign amendment' }).click();
  await expect(page.getByTestId('amendment-message')).toContainText(/Protocol version 2 signed.*New randomization commitment [0-9a-f]{64}/);
  await expect(page.getByTestId('protocol-version')).toHaveText('2');
  const v2 = page.getByTestId('amendments').locator('tr[data-version="2"]');
  await expect(v2).toContainText('Target sample size 240 → 300.');
  await expect(v2).toContainText('Randomization parameters changed (under a new published commitment).');
  await expect(v2).toContainText('Ada Admin');
  await shot(page, 'amendment-signed');
  // The setup page lists the live commitment of each period.
  await page.goto(`/coordinator/${trial!.id}/setup`);
  await expect(page.getByTestId('commitment-live-2')).toHaveText(/^[0-9a-f]{64}$/);

  // A participant enrolled now (by the site coordinator) records version 2 and is randomized in the new period.
  await page.context().clearCookies();
  await login(page, 'coordinator');
  const site = trial!.sites.find((s) => s.code === 'site-a')!;
  const enrolled = await trpc<{ id: string }>(
    page.request,
    baseURL!,
    'participants.enroll',
    {
      trialId: trial!.id,
      siteId: site.id,
      studyId: `V2-${Date.now() % 100000}`,
      baseline: { age: 52, sex: 'M', scannerVendor: 'GE', fieldStrength: '3T' },
      levels: { age_band: '50-64' },
      eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: false },
      consentDate: '2026-03-01',
    },
    'mutation',
  );
  await trpc(page.request, baseURL!, 'participants.randomize', { trialId: trial!.id, participantId: enrolled.id }, 'mutation');
  await page.goto(`/coordinator/${trial!.id}/participants/${enrolled.id}`);
  await expect(page.getByText('Enrolled under protocol version 2.')).toBeVisible();

  // The statistician's report splits the primary outcome by protocol version.
  const context = await browser.newContext();
  const statistician = await context.newPage();
  await login(statistician, 'statistician');
  await statistician.goto(`/statistician/${trial!.id}`);
  const byVersion = statistician.getByTestId('by-protocol-version');
  await expect(byVersion.locator('tr[data-version="1"]')).toBeVisible({ timeout: 60_000 });
  await expect(byVersion.locator('tr[data-version="2"]')).toBeVisible();
  await expect(statistician.getByTestId('version-interaction')).toContainText('interaction');
  await statistician.getByLabel('By protocol version').screenshot({ path: 'test-results/screens/conduct-by-version.png' });
  await context.close();
});

test('a monitor verifies source data point by point and queries one; progress shows per participant', async ({ page }) => {
  await login(page, 'monitor');
  await page.goto('/monitor');
  await page.getByRole('link', { name: 'Source data verification →' }).first().click();
  await expect(page.getByTestId('sdv-progress')).toContainText('data points verified');
  const first = page.getByTestId('sdv-participants').locator('tbody tr').first();
  const studyId = await first.getAttribute('data-study-id');
  await first.getByRole('link', { name: 'Verify' }).click();
  await expect(page.getByTestId('sdv-participant')).toHaveText(studyId!);
  const consent = page.getByTestId('sdv-points').locator('tr[data-field="consentDate"]');
  await expect(consent).toHaveAttribute('data-verified', 'no');
  await consent.getByRole('button', { name: 'Verify Consent date' }).click();
  await expect(consent).toHaveAttribute('data-verified', 'yes');
  await expect(consent).toContainText('Mona Monitor');
  await expect(page.getByLabel('Participant data points').locator('h2')).toContainText('1 /');
  const age = page.getByTestId('sdv-points').locator('tr[data-field="covariates.age"]');
  await age.getByRole('button', { name: 'Query Baseline: age' }).click();
  await age.getByLabel('Query text').fill('Age differs from the date of birth in the hospital record: please check.');
  await age.getByRole('button', { name: 'Raise' }).click();
  await expect(page.getByTestId('sdv-participants').locator(`tr[data-study-id="${studyId}"]`)).toContainText('1 /');
  await shot(page, 'sdv');
  await page.goto('/monitor');
  await expect(page.getByTestId('queries').locator('tr', { hasText: 'Age differs from the date of birth' })).toContainText('Baseline: age');
});
