/**
 * Child process of the demo's follow-up seed: generates one demo subject's follow-up scan (the same
 * synthetic subject as its baseline study, its tumour changed along a stated course;
 * imaging/cohort/longitudinal.ts) and ingests its four sequences into the content store, off the
 * web server's event loop. Run through runChildProcess; answers { ingested, radiusScale }.
 */
import { generateLongitudinalSeries, type CourseParameters } from '../../imaging/cohort/longitudinal';
import type { SiteId } from '../../imaging/cohort/sites';
import { ingestStudy, sequenceRoles } from '../../imaging/ingest/ingest';
import { encodeNiftiFile } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import { serveChildRequest } from '../jobs/run-child-process';

export interface DemoFollowupRequest {
  readonly seed: string;
  readonly index: number;
  readonly site: SiteId;
  readonly studyId: string;
  readonly visit: string;
  readonly days: number;
  readonly course: CourseParameters;
  readonly size: 'tiny' | 'small';
  readonly storageRoot: string;
}

async function prepareFollowup(request: DemoFollowupRequest) {
  const { visits } = await generateLongitudinalSeries({
    seed: request.seed,
    index: request.index,
    site: request.site,
    size: request.size,
    visits: [{ visit: request.visit, days: request.days }],
    course: request.course,
  });
  const scan = visits[0]!;
  const files = Object.fromEntries(
    sequenceRoles.map((role) => [role, { name: `${request.studyId}_${request.visit}_${role}.nii.gz`, bytes: encodeNiftiFile('x.nii.gz', scan.subject.images[role], { datatype: 'int16' }) }]),
  ) as Parameters<typeof ingestStudy>[0]['files'];
  const ingested = await ingestStudy({ files, storage: createContentStore(request.storageRoot) });
  return { ingested, radiusScale: scan.radiusScale };
}

serveChildRequest(prepareFollowup);
