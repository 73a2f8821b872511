import { expect as baseExpect, test, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { fourDNifti } from '../support/ingest-builders';
import { login } from './support';

// The e2e server seeds the demo in the background and the machine is shared: allow more time.
const expect = baseExpect.configure({ timeout: 30_000 });
test.use({ navigationTimeout: 90_000, actionTimeout: 30_000 });

const SHOTS = 'test-results/screens';

async function openPatient(page: Page, studyId: string): Promise<void> {
  await page.goto('/coordinator');
  await page.getByRole('link', { name: /SegTrial demo/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /SegTrial demo/ })).toBeVisible();
  await page.getByTestId('patient-list').getByRole('link', { name: studyId, exact: true }).click();
  await expect(page.getByTestId('participant-study-id')).toHaveText(studyId);
}

test('a coordinator uploads a Decathlon-style 4D file, sees which channel was taken for which sequence, confirms it, and the study is ingested', async ({ page }) => {
  test.setTimeout(300_000);
  // One 4D NIfTI holding the four sequences in the Decathlon's order (FLAIR, T1w, T1gd, T2w), no dataset.json.
  const subject = await generateSubject({ seed: 'e2e-decathlon', index: 0, site: 'site-a', size: 'tiny' });
  const v = subject.images.t1gd;
  const bytes = gzipSync(
    fourDNifti(
      (['flair', 't1', 't1gd', 't2'] as const).map((r) => subject.images[r].data),
      [...v.dims] as [number, number, number],
      v.affine,
    ),
  );

  await login(page, 'coordinator');
  await openPatient(page, 'SB-0006');
  const form = page.getByRole('form', { name: 'Upload a case' });
  await form.locator('input[name="caseFiles"]').setInputFiles({ name: 'BRATS_042.nii.gz', mimeType: 'application/gzip', buffer: bytes });
  await form.getByRole('button', { name: 'Upload case' }).click();
  await expect(page.getByTestId('case-received')).toBeVisible({ timeout: 60_000 });

  // Nothing is ingested yet: the card shows the recognised mapping and waits for the coordinator.
  const confirmation = page.getByTestId('mapping-confirmation');
  await expect(confirmation).toBeVisible({ timeout: 30_000 });
  await expect(confirmation.getByTestId('mapping-layout')).toHaveText(/4D NIfTI/);
  await expect(confirmation.getByTestId('mapping-case')).toHaveText('BRATS_042');
  const mapping = confirmation.getByRole('table', { name: 'Sequence mapping' });
  await expect(mapping.getByLabel('Source of FLAIR')).toHaveValue('BRATS_042.nii.gz#0');
  await expect(mapping.getByLabel('Source of T1gd (T1 with contrast)')).toHaveValue('BRATS_042.nii.gz#2');
  await expect(mapping.locator('tr[data-role="t1gd"]')).toContainText('Decathlon default order (channel 2)');
  await expect(mapping.getByLabel('Source of T1gd (T1 with contrast)').locator('option:checked')).toHaveText('BRATS_042.nii.gz · channel 2');
  await expect(page.getByTestId('study-card')).toHaveCount(0);
  await page.getByRole('region', { name: 'MRI studies' }).screenshot({ path: `${SHOTS}/ingest-layouts-mapping.png` });

  // A correction that takes one channel twice is flagged and cannot be confirmed; putting it back can.
  await mapping.getByLabel('Source of T1', { exact: true }).selectOption('BRATS_042.nii.gz#2');
  await expect(mapping.locator('tr[data-role="t1"]')).toContainText('changed by you');
  await expect(confirmation.getByRole('alert')).toContainText('taken from the same source');
  await expect(confirmation.getByRole('button', { name: 'Confirm and ingest' })).toBeDisabled();
  await page.getByRole('region', { name: 'MRI studies' }).screenshot({ path: `${SHOTS}/ingest-layouts-correction.png` });
  await mapping.getByLabel('Source of T1', { exact: true }).selectOption('BRATS_042.nii.gz#1');
  await confirmation.getByRole('button', { name: 'Confirm and ingest' }).click();

  // Confirmed: the ingest job runs and the page follows it to the study.
  await expect(page.getByTestId('mapping-confirmation')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('case-received')).toHaveCount(0);
  const card = page.getByTestId('study-card');
  await expect(card).toHaveCount(1, { timeout: 240_000 });
  const sequences = card.getByRole('table', { name: 'Sequences' });
  await expect(sequences.locator('tbody tr')).toHaveCount(4);
  await expect(sequences).toContainText('BRATS_042.nii.gz[channel 2]');
  await expect(card.getByTestId('study-provenance')).toContainText('Case BRATS_042: one 4D NIfTI');
  await expect(card.getByTestId('study-provenance')).toContainText(/Brain extraction: segtrial-morphological-bet 1\.0\.0 \((skull-on input|already skull-stripped), \d+ mL\)/);
  await expect(card.getByRole('table', { name: 'Registration quality' })).toContainText('none needed (one grid)');
  await page.getByRole('region', { name: 'MRI studies' }).screenshot({ path: `${SHOTS}/ingest-layouts-study.png` });
});
