import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { generateSubject } from '@/imaging/cohort/generate-subject';
import { ingestStudy, type IngestResult } from '@/imaging/ingest/ingest';
import { encodeNifti } from '@/imaging/nifti/write-nifti';
import type { ContentStore } from '@/imaging/storage/content-store';

/**
 * Generates and ingests the tiny synthetic study number `index` (the cohort generator's seed
 * 'review-test') into `store`. Review, oversight, follow-up, backup and trial-conduct files each attach
 * a few such studies as fixtures, the same few subjects in every file: the ingest (about 13 s of CPU
 * each, registration mostly) is what those files spent their time on, twice per `npm test` (both drivers).
 * When SEGTRIAL_TEST_INGEST_CACHE names a folder (scripts/test.mjs makes one per run, removed at the
 * end), the first file to ingest a subject keeps its result and stored objects there and later files copy
 * them into their own store. Ingest itself is tested by the ingest, upload and pipeline files, which
 * do not use this.
 */
export async function ingestTinyStudy(index: number, store: ContentStore): Promise<IngestResult> {
  const cacheRoot = process.env.SEGTRIAL_TEST_INGEST_CACHE;
  const entry = cacheRoot ? path.join(cacheRoot, `review-test-${index}-tiny`) : null;
  if (entry && existsSync(path.join(entry, 'result.v8'))) {
    // v8's serializer, not JSON: a result holding NaN or undefined comes back exactly.
    const result = deserialize(await readFile(path.join(entry, 'result.v8'))) as IngestResult;
    for (const sha of result.hashes.stored) {
      const stored = await store.put(new Uint8Array(await readFile(path.join(entry, sha))));
      if (stored.sha256 !== sha) throw new Error(`ingest cache ${entry}: object ${sha} reads back as ${stored.sha256}`);
    }
    return result;
  }
  const subject = await generateSubject({ seed: 'review-test', index, site: 'site-a', size: 'tiny' });
  const files = Object.fromEntries(
    (['flair', 't1', 't1gd', 't2'] as const).map((role) => [role, { name: `${role}.nii`, bytes: encodeNifti(subject.images[role], { datatype: 'int16' }) }]),
  ) as Parameters<typeof ingestStudy>[0]['files'];
  const result = await ingestStudy({ files, storage: store });
  if (entry && cacheRoot) {
    // Written beside, then renamed into place: the PGlite and PostgreSQL steps run at the same time and
    // may ingest the same subject at once; the first rename wins, the other copy is dropped.
    await mkdir(cacheRoot, { recursive: true });
    const scratch = await mkdtemp(path.join(cacheRoot, '.writing-'));
    await writeFile(path.join(scratch, 'result.v8'), serialize(result));
    for (const sha of result.hashes.stored) await writeFile(path.join(scratch, sha), await store.get(sha));
    await rename(scratch, entry).catch(() => rm(scratch, { recursive: true, force: true }));
  }
  return result;
}
