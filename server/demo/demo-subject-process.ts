/**
 * Child process of the demo seed: generates one synthetic cohort subject and ingests its four
 * sequences into the content store (validation, de-identification, elastix registration,
 * normalization, storage), so that this CPU-bound work never blocks the web server's event loop.
 * Run through runChildProcess; writes the ground-truth label map (NIfTI, T1gd grid) to `labelPath`
 * and answers { ingested, record }.
 */
import { writeFile } from 'node:fs/promises';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import type { SiteId } from '../../imaging/cohort/sites';
import { ingestStudy, sequenceRoles } from '../../imaging/ingest/ingest';
import { encodeNiftiFile } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { serveChildRequest } from '../jobs/run-child-process';

export interface DemoSubjectRequest {
  readonly seed: string;
  readonly index: number;
  readonly site: SiteId;
  readonly protocol: 'original' | 'changed';
  readonly studyId: string;
  readonly storageRoot: string;
  readonly labelPath: string;
}

async function prepareSubject(request: DemoSubjectRequest) {
  const subject = await generateSubject({ seed: request.seed, index: request.index, site: request.site, protocol: request.protocol, size: 'small' });
  const files = Object.fromEntries(
    sequenceRoles.map((role) => [role, { name: `${request.studyId}_${role}.nii.gz`, bytes: encodeNiftiFile('x.nii.gz', subject.images[role], { datatype: 'int16' }) }]),
  ) as Parameters<typeof ingestStudy>[0]['files'];
  const ingested = await ingestStudy({ files, storage: createContentStore(request.storageRoot) });
  await writeFile(request.labelPath, encodeNiftiFile('x.nii.gz', subject.label, { datatype: 'uint8' }));
  const { covariates, outcome, tumor } = subject.record;
  return { ingested, record: { covariates, outcome, tumorKind: tumor?.kind ?? null } };
}

serveChildRequest(prepareSubject);
