import type { Database } from '../../db/client';
import { createContentStore } from '../../imaging/storage/content-store';
import { ingestStudyJob } from '../domain/imaging/ingest-study-job';
import { INGEST_STUDY_JOB, type IngestStudyPayload } from '../domain/imaging/queue-study-ingest';
import { pacsClientFromEnv } from '../domain/pacs/pacs-client-from-env';
import { RETRIEVE_PACS_STUDY_JOB, type RetrievePacsStudyPayload } from '../domain/pacs/queue-pacs-retrieve';
import { retrievePacsStudyJob } from '../domain/pacs/retrieve-pacs-study-job';
import { SEGMENT_STUDY_JOB, segmentStudyJob, type SegmentStudyPayload } from '../domain/segmentation/segment-study-job';
import { env } from '../env';
import { PermanentJobError, type JobHandler } from './worker';

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
    [RETRIEVE_PACS_STUDY_JOB]: ({ job, reportProgress }) => {
      const client = pacsClientFromEnv();
      if (!client) throw new PermanentJobError('INVALID_STATE: No PACS is configured (SEGTRIAL_PACS_URL).');
      return retrievePacsStudyJob({ db, store, client, payload: job.payload as RetrievePacsStudyPayload, onProgress: reportProgress });
    },
    [SEGMENT_STUDY_JOB]: ({ job, reportProgress }) => segmentStudyJob({ db, store, payload: job.payload as SegmentStudyPayload, settings, onProgress: reportProgress }),
  };
}
