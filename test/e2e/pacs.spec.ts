import { readFileSync } from 'node:fs';
import { expect as baseExpect, test } from '@playwright/test';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { writeMrStudy } from '../../imaging/dicom/write-mr-study';
import { e2ePacsInfoFile } from '../../scripts/lib/orthanc-server.mjs';
import { createDicomWebClient, firstValue } from '../../server/domain/pacs/dicomweb-client';
import { login } from './support';

// The hospital PACS is a real Orthanc (DICOMweb) that scripts/e2e-server.mjs starts beside the app;
// this spec stores a study in it as a modality would, then works through the coordinator's page.
const expect = baseExpect.configure({ timeout: 30_000 });
test.use({ navigationTimeout: 90_000, actionTimeout: 30_000 });

const SHOTS = 'test-results/screens';

test('a coordinator searches the PACS, confirms the suggested series, and the retrieve job ingests the study; the statistician finds it among the DICOM results', async ({ page, browser }) => {
  test.setTimeout(600_000);
  const pacs = JSON.parse(readFileSync(e2ePacsInfoFile(process.env.E2E_PORT ?? '3107'), 'utf8')) as { dicomWebUrl: string; username: string; password: string };
  const client = createDicomWebClient({ url: pacs.dicomWebUrl, username: pacs.username, password: pacs.password, timeoutMs: 30_000 });
  const subject = await generateSubject({ seed: 'e2e-pacs', index: 4, site: 'site-a', size: 'tiny' });
  const study = writeMrStudy({
    images: subject.images,
    patient: { id: 'E2E-MRN-0077', name: 'E2e^Pacs', sex: 'M', birthDate: '19700101' },
    study: { studyInstanceUid: '2.25.770077', date: new Date('2026-11-25T10:00:00Z'), accessionNumber: 'E2E-ACC-77' },
    uidSeed: 'e2e-pacs',
  });
  for (const s of study.series) await client.store(s.files.map((f) => f.bytes));
  const uidOf = (role: string) => study.series.find((s) => s.role === role)!.seriesInstanceUid;

  await login(page, 'coordinator');
  await page.goto('/coordinator');
  await page.getByRole('link', { name: /SegTrial demo/ }).click();
  await page.getByTestId('patient-list').getByRole('link', { name: 'SA-0005', exact: true }).click();
  await expect(page.getByTestId('participant-study-id')).toHaveText('SA-0005');
  const panel = page.getByTestId('pacs-panel');

  // Search by accession number: one study, with its patient ID and series count.
  await panel.getByLabel('Accession number').fill('E2E-ACC-77');
  await panel.getByRole('button', { name: 'Search PACS' }).click();
  const found = panel.getByTestId('pacs-studies').locator('tbody tr');
  await expect(found).toHaveCount(1);
  await expect(found).toContainText('E2E-MRN-0077');
  await expect(found).toContainText('20261125');
  await found.getByRole('button', { name: 'Show series' }).click();

  // Five series: the localizer is listed as ignored; each sequence has its suggested series.
  const series = panel.getByTestId('pacs-series').locator('tbody tr');
  await expect(series).toHaveCount(5);
  await expect(series.filter({ hasText: '3-PLANE LOC' })).toContainText('ignored: localizer');
  await expect(series.filter({ hasText: 'AX T2 FLAIR' })).toContainText('FLAIR');
  const mapping = panel.getByRole('group', { name: 'Series mapping' });
  for (const [label, role] of [
    ['FLAIR', 'flair'],
    ['T1', 't1'],
    ['T1gd (with contrast)', 't1gd'],
    ['T2', 't2'],
  ] as const)
    await expect(mapping.getByRole('combobox', { name: label, exact: true })).toHaveValue(uidOf(role));
  const confirm = panel.getByRole('button', { name: 'Confirm and retrieve' });
  // The same series for two sequences cannot be confirmed.
  await mapping.getByRole('combobox', { name: 'T2', exact: true }).selectOption(uidOf('flair'));
  await expect(confirm).toBeDisabled();
  await mapping.getByRole('combobox', { name: 'T2', exact: true }).selectOption(uidOf('t2'));
  await expect(confirm).toBeEnabled();
  await panel.screenshot({ path: `${SHOTS}/pacs-mapping.png` });

  // The retrieve is a job: the page follows it (queued, retrieving, ingesting) to the ingested study.
  await confirm.click();
  const progress = panel.getByTestId('pacs-progress');
  await expect(progress).toContainText(/Queued|Retrieving|Ingesting/);
  await expect(progress).toContainText('Retrieved and ingested', { timeout: 300_000 });
  const images = study.series.slice(1).reduce((n, s) => n + s.files.length, 0);
  await expect(progress).toContainText(`(${images} images)`);
  await panel.screenshot({ path: `${SHOTS}/pacs-retrieved.png` });
  await progress.getByRole('button', { name: 'Show the study' }).click();
  await expect(page.getByTestId('study-card')).toHaveCount(1);
  await expect(page.getByTestId('study-card').getByTestId('segmentation-job')).toContainText('AI segmentation');
  // De-identified at the door: nothing of the PACS's patient identity is on the page.
  await expect(page.getByText('E2E-MRN-0077')).toHaveCount(0);

  // The statistician's DICOM results tab lists the PACS study; once the AI has segmented it, its SEG
  // downloads (a DICOM file), unless the case is in the control arm (then it stays, without buttons).
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const statistician = await context.newPage();
  await login(statistician, 'statistician');
  await statistician.goto('/statistician');
  const report = await statistician.getByRole('link', { name: 'Open report' }).first().getAttribute('href');
  await statistician.goto(report!);
  await statistician.getByRole('link', { name: 'DICOM results' }).click();
  const results = statistician.getByTestId('dicom-results');
  await expect(results).toContainText('SA-0005');
  await expect
    .poll(
      async () => {
        await statistician.reload();
        return statistician.getByTestId('dicom-result').count();
      },
      { timeout: 240_000, intervals: [1_000, 2_000] },
    )
    .toBe(1);
  const row = statistician.getByTestId('dicom-result');
  await expect(row).toContainText('AI: ');
  await statistician.screenshot({ path: `${SHOTS}/pacs-statistician-results.png`, fullPage: true });
  if ((await row.getByRole('button', { name: 'Download SEG' }).count()) > 0) {
    const [download] = await Promise.all([statistician.waitForEvent('download'), row.getByRole('button', { name: 'Download SEG' }).click()]);
    expect(download.suggestedFilename()).toBe('SA-0005-ai-seg.dcm');
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(128, 132).toString('latin1')).toBe('DICM');
    await row.getByRole('button', { name: 'Send to PACS' }).click();
    await expect(row.getByRole('status')).toContainText('Sent to the PACS');
    const modalities = (await client.searchSeries(study.studyInstanceUid, { includefield: '00080060' })).map((s) => firstValue(s, '00080060'));
    expect(modalities).toContain('SEG');
    expect(modalities).toContain('SR');
  } else {
    await expect(row).toContainText('stays on the platform while the trial is blinded');
  }
  await context.close();
});
