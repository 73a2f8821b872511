/**
 * Imaging-ingest benchmark: a 4-sequence study at 1 mm (240×240×155, made from Colin27 with a known
 * rigid misalignment and a different contrast per sequence, stored as int16 .nii.gz) from uploaded
 * bytes to stored, registered and normalized volumes. Prints the time per stage and the ratio of the
 * whole ingest to the reference measured in the same run: reading the same four files alone (file
 * read + gunzip + NIfTI parse with imaging/nifti/read-nifti, best of 3).
 *
 *   node --import tsx bench/ingest/run.ts
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ingestStudy, sequenceRoles, type SequenceRole } from '../../imaging/ingest/ingest';
import { maxDisplacementMm, misalignedStudy } from '../../imaging/ingest/test-helpers';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { encodeNiftiFile } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { gridCentre } from '../../imaging/volume';

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-ingest-'));
try {
  console.log('making the study: Colin27 → 240×240×155 at 1 mm, three sequences moved by known rigid transforms …');
  const study = await misalignedStudy(1, [240, 240, 155]);
  const files = {} as Record<SequenceRole, string>;
  for (const role of sequenceRoles) {
    files[role] = path.join(dir, `${role}.nii.gz`);
    await writeFile(files[role], encodeNiftiFile(files[role], study.volumes[role], { datatype: 'int16' }));
  }

  let reference = Infinity;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    for (const role of sequenceRoles) await readNifti(files[role]);
    reference = Math.min(reference, performance.now() - t0);
  }

  const t0 = performance.now();
  const uploads = {} as Record<SequenceRole, { name: string; bytes: Uint8Array }>;
  for (const role of sequenceRoles) uploads[role] = { name: `${role}.nii.gz`, bytes: new Uint8Array(await readFile(files[role])) };
  const read = performance.now() - t0;
  const result = await ingestStudy({ files: uploads, storage: createContentStore(path.join(dir, 'store')) });
  const total = performance.now() - t0;

  console.log(`\nstages (ms): read files ${read.toFixed(0)}`);
  for (const [stage, ms] of Object.entries(result.timings)) console.log(`  ${stage.padEnd(10)} ${ms.toFixed(0).padStart(7)}`);
  const centre = gridCentre(study.volumes.t1gd);
  for (const role of ['flair', 't1', 't2'] as const) {
    const r = result.registration[role];
    const err = maxDisplacementMm(r.fixedToMovingWorld, study.truth[role], centre, 60);
    console.log(`  ${role}: elastix ${r.elapsedMs.toFixed(0)} ms, NMI ${r.nmiBefore.toFixed(3)} → ${r.nmiAfter.toFixed(3)}, max error over a 120 mm cube ${err.toFixed(2)} mm`);
  }
  console.log(`\ningest (bytes → stored, registered, normalized): ${(total / 1000).toFixed(2)} s`);
  console.log(`reference (reading the four files alone, best of 3): ${(reference / 1000).toFixed(2)} s`);
  console.log(`ratio ingest / read: ${(total / reference).toFixed(1)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
