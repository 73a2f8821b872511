/**
 * PACS retrieve + ingest of a four-series MR study, as a ratio to downloading the same bytes over
 * WADO-RS in the same run (the transfer floor). A real Orthanc (DICOMweb) is started here and filled
 * with one synthetic study (localizer + four sequences, imaging/dicom/write-mr-study.ts).
 *
 * - reference: GET each series with Accept multipart/related (fetch), reading every byte, discarded;
 * - measured: what the retrieve-pacs-study job runs (server/domain/pacs/retrieve-pacs-study-job.ts)
 *   without its database rows: retrievePacsSeries (streaming multipart parse, each instance written
 *   to disk, the DICOM series checks) and the upload's ingest child process (conversion, validation,
 *   registration, brain extraction, storage).
 *
 * node --import tsx bench/pacs/run.ts [--size small|full] [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSubject, type CohortSize } from '../../imaging/cohort/generate-subject';
import { writeMrStudy } from '../../imaging/dicom/write-mr-study';
import { sequenceRoles, type SequenceRole } from '../../imaging/ingest/ingest';
import { startOrthanc } from '../../scripts/lib/orthanc-server.mjs';
import { createDicomWebClient } from '../../server/domain/pacs/dicomweb-client';
import { retrievePacsSeries } from '../../server/domain/pacs/retrieve-pacs-series';
import { runIngestProcess } from '../../server/jobs/run-ingest-process';

const { values } = parseArgs({ options: { size: { type: 'string', default: 'small' }, runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const orthanc = await startOrthanc();
const work = mkdtempSync(path.join(os.tmpdir(), 'segtrial-bench-pacs-'));
try {
  const client = createDicomWebClient({ url: orthanc.dicomWebUrl, username: orthanc.username, password: orthanc.password, timeoutMs: 120_000 });
  const subject = await generateSubject({ seed: 'bench-pacs', index: 1, site: 'site-a', size: values.size as CohortSize, misalign: true });
  const study = writeMrStudy({
    images: subject.images,
    patient: { id: 'BENCH-1' },
    study: { studyInstanceUid: '2.25.777', date: new Date('2026-11-01T10:00:00Z'), accessionNumber: 'B1' },
    uidSeed: 'bench',
  });
  for (const s of study.series) await client.store(s.files.map((f) => f.bytes));
  const series = Object.fromEntries(study.series.filter((s) => s.role !== 'localizer').map((s) => [s.role, s.seriesInstanceUid])) as Record<SequenceRole, string>;
  const auth = `Basic ${Buffer.from(`${orthanc.username}:${orthanc.password}`).toString('base64')}`;

  async function download(): Promise<number> {
    let bytes = 0;
    for (const role of sequenceRoles) {
      const res = await fetch(`${orthanc.dicomWebUrl}/studies/${study.studyInstanceUid}/series/${series[role]}`, {
        headers: { authorization: auth, accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
      });
      const reader = res.body!.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
    }
    return bytes;
  }

  /** What the retrieve-pacs-study job does, without its database rows: the same retrieve and checks, the same ingest child. */
  async function retrieveAndIngest(run: number): Promise<{ bytes: number; ingestMs: number }> {
    const root = path.join(work, `run-${run}`);
    const got = await retrievePacsSeries({ client, studyInstanceUid: study.studyInstanceUid, series, root, dir: 'spool' });
    const t = performance.now();
    const outcome = await runIngestProcess({ storageRoot: root, files: got.files });
    if (!outcome.ok) throw new Error(`ingest refused the study: ${outcome.rejection.message}`);
    return { bytes: got.bytes, ingestMs: performance.now() - t };
  }

  await download(); // warm Orthanc's cache and the connection
  const ref: number[] = [];
  const measured: number[] = [];
  const ingestOnly: number[] = [];
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    bytes = await download();
    ref.push(performance.now() - t);
    t = performance.now();
    const m = await retrieveAndIngest(r);
    measured.push(performance.now() - t);
    ingestOnly.push(m.ingestMs);
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  const instances = study.series.slice(1).reduce((n, s) => n + s.files.length, 0);
  console.log(`study: 4 series, ${instances} instances, ${(bytes / 1e6).toFixed(1)} MB (size ${values.size}), ${runs} runs, medians`);
  console.log(`WADO-RS download (reference): ${median(ref).toFixed(0)} ms (${(bytes / 1e6 / (median(ref) / 1000)).toFixed(0)} MB/s)`);
  console.log(`retrieve + checks + ingest:    ${median(measured).toFixed(0)} ms (of which ingest ${median(ingestOnly).toFixed(0)} ms)`);
  console.log(
    `ratio retrieve+ingest / download: ${(median(measured) / median(ref)).toFixed(1)}; retrieve+checks alone / download: ${((median(measured) - median(ingestOnly)) / median(ref)).toFixed(2)}`,
  );
} finally {
  await orthanc.destroy();
  rmSync(work, { recursive: true, force: true });
}
