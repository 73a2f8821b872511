/**
 * Imaging-ingest benchmark: a 4-sequence study at 1 mm (240×240×155, made from Colin27 with a known
 * rigid misalignment and a different contrast per sequence, stored as int16 .nii.gz) from uploaded
 * bytes to stored, registered, brain-extracted and normalized volumes; then the same study already
 * aligned on one grid (BraTS-style) and with Colin27's head on (ch2). Prints the time per stage, each
 * as a ratio to the reference measured in the same run: reading the same four files alone (file read
 * + gunzip + NIfTI parse with imaging/nifti/read-nifti, best of 3), and brain extraction and the
 * identity check as shares of the whole ingest (targets: ≤ 25 % and ≤ 5 %).
 *
 *   node --import tsx bench/ingest/run.ts
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ingestStudy, sequenceRoles, type SequenceRole } from '../../imaging/ingest/ingest';
import { maxDisplacementMm, misalignedStudy } from '../../test/support/ingest-builders';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { resample } from '../../imaging/resample';
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

  const head = resample(await readNifti('/usr/share/mricron/templates/ch2.nii.gz'), study.volumes.t1gd);
  const variants = [
    { name: 'misaligned, skull-stripped', volumes: study.volumes, truth: true },
    { name: 'aligned on one grid, skull-stripped (BraTS-style)', volumes: (await misalignedStudy(1, [240, 240, 155], { aligned: true })).volumes, truth: false },
    {
      name: 'aligned, skull-on (Colin27 head)',
      volumes: {
        flair: { ...head, data: head.data.map((x) => 0.6 * x + 20) },
        t1: head,
        t1gd: { ...head, data: head.data.map((x) => 1.1 * x) },
        t2: { ...head, data: head.data.map((x) => (x > 0 ? 260 - x : 0)) },
      },
      truth: false,
    },
  ];
  for (const variant of variants) {
    const uploads = {} as Record<SequenceRole, { name: string; bytes: Uint8Array }>;
    for (const role of sequenceRoles) {
      const file = path.join(dir, `${role}.nii.gz`);
      await writeFile(file, encodeNiftiFile(file, variant.volumes[role], { datatype: 'int16' }));
    }
    const t0 = performance.now();
    for (const role of sequenceRoles) uploads[role] = { name: `${role}.nii.gz`, bytes: new Uint8Array(await readFile(path.join(dir, `${role}.nii.gz`))) };
    const read = performance.now() - t0;
    const result = await ingestStudy({ files: uploads, storage: createContentStore(path.join(dir, 'store')) });
    const total = performance.now() - t0;

    console.log(`\n== ${variant.name}`);
    console.log(`stages (ms, and × reading the files): read files ${read.toFixed(0)}`);
    for (const [stage, ms] of Object.entries(result.timings)) console.log(`  ${stage.padEnd(16)} ${ms.toFixed(0).padStart(7)}  ${(ms / reference).toFixed(2).padStart(6)}×`);
    const centre = gridCentre(study.volumes.t1gd);
    for (const role of ['flair', 't1', 't2'] as const) {
      const r = result.registration[role];
      const err = variant.truth ? `, max error over a 120 mm cube ${maxDisplacementMm(r.fixedToMovingWorld, study.truth[role], centre, 60).toFixed(2)} mm` : '';
      console.log(
        `  ${role}: kept ${r.source}${r.alreadyAligned ? ' (series on one grid)' : ''}, ${r.elapsedMs.toFixed(0)} ms, NMI identity ${r.nmiBefore.toFixed(3)}, elastix ${r.nmiElastix.toFixed(3)}${err}`,
      );
    }
    console.log(`  brain extraction: ${result.brainExtraction.input}, ${result.brainExtraction.volumeMl.toFixed(0)} mL`);
    console.log(`ingest (bytes → stored): ${(total / 1000).toFixed(2)} s = ${(total / reference).toFixed(1)}× reading the four files (${(reference / 1000).toFixed(2)} s, best of 3)`);
    console.log(
      `brain extraction ${((result.timings.brainExtraction / total) * 100).toFixed(1)} % of ingest (target ≤ 25 %); identity check ${((result.timings.identityCheck / total) * 100).toFixed(1)} % (target ≤ 5 %)`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
