/**
 * bench/cohort: synthetic subjects per minute at full size (1 mm), and the ratio to the I/O floor —
 * reading and writing the same NIfTI files (same datatypes, same gzip level) — measured in the same
 * run. The first subject also pays for loading Colin27 once; it is generated as a warm-up and not
 * counted.
 *   node --import tsx bench/cohort/run.ts [--n 4] [--size full|small|tiny]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSubject, type CohortSize } from '../../imaging/cohort/generate-subject';
import { subjectFiles, writeSubject } from '../../imaging/cohort/generate-cohort';
import { siteIds } from '../../imaging/cohort/sites';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { writeNifti } from '../../imaging/nifti/write-nifti';

const { values } = parseArgs({ options: { n: { type: 'string', default: '4' }, size: { type: 'string', default: 'full' } } });
const n = Number(values.n);
const size = values.size as CohortSize;
const out = mkdtempSync(path.join(os.tmpdir(), 'segtrial-bench-cohort-'));

try {
  await writeSubject(out, await generateSubject({ seed: 'bench', index: n, site: 'site-a', size })); // warm-up

  const ids: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = await generateSubject({ seed: 'bench', index: i, site: siteIds[i % siteIds.length]!, size });
    await writeSubject(out, s);
    ids.push(s.record.id);
  }
  const genMs = performance.now() - t0;

  const copy = path.join(out, 'copy');
  const t1 = performance.now();
  for (const id of ids)
    for (const [kind, f] of Object.entries(subjectFiles(id))) {
      const v = await readNifti(path.join(out, f));
      await writeNifti(path.join(copy + '-' + path.basename(f)), v, { datatype: kind === 'label' ? 'uint8' : 'int16' });
    }
  const ioMs = performance.now() - t1;

  const perMin = (ms: number) => (n / ms) * 60_000;
  console.log(`\nbench/cohort: ${n} subjects, size ${size} (4 sequences + label each, .nii.gz)`);
  console.log(`generate + write     ${(genMs / n / 1000).toFixed(2).padStart(6)} s/subject   ${perMin(genMs).toFixed(1).padStart(6)} subjects/min`);
  console.log(`read + write (floor) ${(ioMs / n / 1000).toFixed(2).padStart(6)} s/subject   ${perMin(ioMs).toFixed(1).padStart(6)} subjects/min`);
  console.log(`ratio generate / I/O floor: ${(genMs / ioMs).toFixed(2)}×`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
