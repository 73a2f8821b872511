/**
 * Fills the demo PACS (Orthanc, started by scripts/start.mjs when SEGTRIAL_PACS=demo) with the demo
 * patients' MRI studies as scanner-like DICOM: per patient a localizer and the four sequences from
 * the synthetic cohort (imaging/cohort), sent over STOW-RS. Idempotent: a patient already in the
 * PACS is skipped. Usage: node --import tsx scripts/seed-demo-pacs.ts [DICOMWEB_URL USER PASSWORD [COUNT]]
 */
import { generateSubject } from '../imaging/cohort/generate-subject';
import { deriveUid } from '../imaging/dicom/uid';
import { writeMrStudy } from '../imaging/dicom/write-mr-study';
import { createDicomWebClient } from '../server/domain/pacs/dicomweb-client';

// Arguments, or the SEGTRIAL_PACS_* variables (so start.mjs need not print the password).
const [url = process.env.SEGTRIAL_PACS_URL, username = process.env.SEGTRIAL_PACS_USERNAME, password = process.env.SEGTRIAL_PACS_PASSWORD, countText] = process.argv.slice(2);
if (!url) throw new Error('usage: seed-demo-pacs.ts DICOMWEB_URL USER PASSWORD [COUNT] (or set SEGTRIAL_PACS_URL/_USERNAME/_PASSWORD)');
const client = createDicomWebClient({ url, username, password, timeoutMs: 60_000 });
const count = Number(countText ?? 5);
const sites = ['site-a', 'site-b'] as const;
for (let i = 1; i <= count; i++) {
  const patientId = `DEMO-MRN-${String(i).padStart(3, '0')}`;
  if ((await client.searchStudies({ PatientID: patientId })).length > 0) continue;
  const subject = await generateSubject({ seed: 'demo-pacs', index: i, site: sites[(i - 1) % sites.length]!, size: 'small', misalign: true });
  const date = new Date(Date.UTC(2026, 10, 1 + i, 8 + (i % 4), 15));
  const study = writeMrStudy({
    images: subject.images,
    patient: { id: patientId, name: `Demo^Patient${i}`, sex: subject.record.covariates.sex },
    study: { studyInstanceUid: deriveUid(`demo-pacs/${patientId}`), date, accessionNumber: `DEMO-ACC-${String(i).padStart(3, '0')}` },
    uidSeed: `demo-pacs/${patientId}`,
  });
  for (const s of study.series) await client.store(s.files.map((f) => f.bytes));
  console.log(`demo PACS: ${patientId} (${study.series.length} series)`);
}
