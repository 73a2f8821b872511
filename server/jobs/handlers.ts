import type { Database } from '../../db/client';
import { createContentStore } from '../../imaging/storage/content-store';
import { ingestStudyJob } from '../domain/imaging/ingest-study-job';
import { INGEST_STUDY_JOB, type IngestStudyPayload } from '../domain/imaging/queue-study-ingest';
import { SEGMENT_STUDY_JOB, segmentStudyJob, type SegmentStudyPayload } from '../domain/segmentation/segment-study-job';
import { env } from '../env';
import type { JobHandler } from './worker';

/** The job kinds this codebase runs, wired to the configured storage and inference settings. */
export function jobHandlers(db: Database): Record<string, JobHandler> {
  const config = env();
  const store = createContentStore(config.SEGTRIAL_STORAGE_ROOT);
  const settings = {
    providers: config.SEGTRIAL_EXECUTION_PROVIDERS.split(','),
    threads: config.SEGTRIAL_INFERENCE_THREADS,
    tta: config.SEGTRIAL_TTA === '1',
  };
  return {
    [INGEST_STUDY_JOB]: ({ job, reportProgress }) => ingestStudyJob({ db, store, payload: job.payload as IngestStudyPayload, onProgress: reportProgress }),
    [SEGMENT_STUDY_JOB]: ({ job, reportProgress }) => segmentStudyJob({ db, store, payload: job.payload as SegmentStudyPayload, settings, onProgress: reportProgress }),
  };
}
