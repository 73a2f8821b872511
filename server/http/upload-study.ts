import type { Database } from '../../db/client';
import { sequenceRoles, type SequenceInput, type SequenceRole } from '../../imaging/ingest/ingest';
import { createContentStore } from '../../imaging/storage/content-store';
import { attachStudy } from '../domain/imaging/attach-study';
import { resolveTrialAccess } from '../domain/trials/trial-access';
import { env } from '../env';
import { defineRoute, refuse, runRoute } from './route';

/** Whole request and per-file limits (a 1 mm float32 study is ≈ 4 × 36 MB; DICOM zips are larger). */
export const UPLOAD_LIMITS = { maxRequestBytes: 1024 * 1024 * 1024, maxFileBytes: 400 * 1024 * 1024, maxFilesPerSequence: 2000 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * POST multipart/form-data: trialId, participantId, and the files of each sequence under the field
 * names flair, t1, t1gd, t2 (one NIfTI or zip, or several DICOM files). Coordinators only. Answers
 * 201 with the study id, or the typed ingest error.
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
    const files = {} as Record<SequenceRole, SequenceInput>;
    for (const role of sequenceRoles) {
      const entries = form.getAll(role).filter((v): v is File => typeof v !== 'string');
      if (entries.length > UPLOAD_LIMITS.maxFilesPerSequence) refuse('INVALID_INPUT', `${role}: ${entries.length} files exceed the limit of ${UPLOAD_LIMITS.maxFilesPerSequence}.`);
      const read = [];
      for (const file of entries) {
        if (file.size > UPLOAD_LIMITS.maxFileBytes) refuse('INVALID_INPUT', `${file.name}: ${file.size} bytes exceed the per-file limit of ${UPLOAD_LIMITS.maxFileBytes}.`);
        read.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      }
      files[role] = read.length === 1 ? read[0]! : read;
    }
    const access = await resolveTrialAccess({ db, user, trialId });
    const result = await attachStudy({ db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access, participantId, files, actor, request });
    return Response.json({ studyId: result.studyId, jobId: result.jobId, warnings: result.warnings }, { status: 201 });
  },
});

/** The route for tests and callers outside Next.js, over their own database. */
export const handleStudyUpload = ({ db, req }: { db: Database; req: Request }) => runRoute(uploadStudyRoute, { db, req });
