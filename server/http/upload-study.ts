import type { Database } from '../../db/client';
import { sequenceRoles, type SequenceRole } from '../../imaging/ingest/ingest';
import { createContentStore } from '../../imaging/storage/content-store';
import { storeStudyUpload } from '../domain/imaging/store-study-upload';
import { resolveTrialAccess } from '../domain/trials/trial-access';
import { env } from '../env';
import { defineRoute, refuse, runRoute } from './route';

/** Whole request and per-file limits (a 1 mm float32 study is ≈ 4 × 36 MB; DICOM zips are larger). */
export const UPLOAD_LIMITS = { maxRequestBytes: 1024 * 1024 * 1024, maxFileBytes: 400 * 1024 * 1024, maxFilesPerSequence: 2000 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * POST multipart/form-data: trialId, participantId, and the files of each sequence under the field
 * names flair, t1, t1gd, t2 (one NIfTI or zip, or several DICOM files). Coordinators only. The
 * files are stored and the ingest-study job queued (storeStudyUpload): answers 202 with the upload
 * and job ids as soon as the bytes are on disk. studies.uploadsForParticipant shows the job's
 * progress, then the study or the typed refusal (file, field, value found, expected).
 */
export const uploadStudyRoute = defineRoute({
  name: 'upload-study',
  roles: ['coordinator'],
  maxBytes: () => Math.min(UPLOAD_LIMITS.maxRequestBytes, env().SEGTRIAL_UPLOAD_MAX_MB * 1024 * 1024),
  rateLimit: 'upload',
  async handle({ db, user, actor, request, readForm }) {
    const form = await readForm('Expected multipart/form-data with trialId, participantId and the files flair, t1, t1gd, t2.');
    const trialId = String(form.get('trialId') ?? '');
    const participantId = String(form.get('participantId') ?? '');
    if (!UUID.test(trialId) || !UUID.test(participantId)) refuse('INVALID_INPUT', 'trialId and participantId must be ids.');
    const files = {} as Record<SequenceRole, { name: string; bytes: Uint8Array }[]>;
    for (const role of sequenceRoles) {
      const entries = form.getAll(role).filter((v): v is File => typeof v !== 'string');
      if (entries.length > UPLOAD_LIMITS.maxFilesPerSequence) refuse('INVALID_INPUT', `${role}: ${entries.length} files exceed the limit of ${UPLOAD_LIMITS.maxFilesPerSequence}.`);
      const read = [];
      for (const file of entries) {
        if (file.size > UPLOAD_LIMITS.maxFileBytes) refuse('INVALID_INPUT', `${file.name}: ${file.size} bytes exceed the per-file limit of ${UPLOAD_LIMITS.maxFileBytes}.`);
        read.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      }
      files[role] = read;
    }
    const access = await resolveTrialAccess({ db, user, trialId });
    const { uploadId, jobId } = await storeStudyUpload({ db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access, participantId, files, actor, request });
    return Response.json({ uploadId, jobId }, { status: 202 });
  },
});

/** The route for tests and callers outside Next.js, over their own database. */
export const handleStudyUpload = ({ db, req }: { db: Database; req: Request }) => runRoute(uploadStudyRoute, { db, req });
