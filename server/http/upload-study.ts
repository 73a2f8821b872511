import type { Database } from '../../db/client';
import { sequenceRoles, type SequenceRole } from '../../imaging/ingest/ingest';
import { createContentStore } from '../../imaging/storage/content-store';
import { recognizeCaseUpload } from '../domain/imaging/recognize-case-upload';
import { storeStudyUpload } from '../domain/imaging/store-study-upload';
import { resolveTrialAccess } from '../domain/trials/trial-access';
import { env } from '../env';
import { defineRoute, refuse, runRoute } from './route';

/** Whole request and per-file limits (a 1 mm float32 study is ≈ 4 × 36 MB; DICOM zips are larger). */
export const UPLOAD_LIMITS = { maxRequestBytes: 1024 * 1024 * 1024, maxFileBytes: 400 * 1024 * 1024, maxFilesPerSequence: 2000 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * POST multipart/form-data: trialId, participantId, and either
 * - the files of each sequence under the field names flair, t1, t1gd, t2 (one NIfTI or zip, or
 *   several DICOM files): stored and the ingest-study job queued at once; or
 * - a whole case under the field name `case` (the files of a folder, named by their relative path;
 *   a 4D NIfTI with an optional dataset.json; or a zip): its layout is recognised first
 *   (imaging/ingest/layout.ts; a refused layout stores nothing and answers 400 with file, field,
 *   found, expected), then it is stored waiting for the coordinator to confirm or correct which file
 *   is which sequence (studies.confirmUpload queues the ingest).
 * Coordinators only. Answers 202 with the upload id, the job id (null while awaiting confirmation)
 * and the recognised mapping, as soon as the bytes are on disk. studies.uploadsForParticipant shows
 * the mapping or the job's progress, then the study or the typed refusal.
 */
export const uploadStudyRoute = defineRoute({
  name: 'upload-study',
  roles: ['coordinator'],
  maxBytes: () => Math.min(UPLOAD_LIMITS.maxRequestBytes, env().SEGTRIAL_UPLOAD_MAX_MB * 1024 * 1024),
  rateLimit: 'upload',
  async handle({ db, user, actor, request, readForm }) {
    const form = await readForm('Expected multipart/form-data with trialId, participantId and the files flair, t1, t1gd, t2 (or a case).');
    const trialId = String(form.get('trialId') ?? '');
    const participantId = String(form.get('participantId') ?? '');
    if (!UUID.test(trialId) || !UUID.test(participantId)) refuse('INVALID_INPUT', 'trialId and participantId must be ids.');
    const caseEntries = form.getAll('case').filter((v): v is File => typeof v !== 'string');
    if (caseEntries.length > 0 && sequenceRoles.some((role) => form.getAll(role).length > 0)) refuse('INVALID_INPUT', 'Send either a case or the four sequences, not both.');
    const files = {} as Record<SequenceRole | 'case', { name: string; bytes: Uint8Array }[]>;
    for (const role of caseEntries.length > 0 ? (['case'] as const) : sequenceRoles) {
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
    // Recognised before anything is stored: a refused layout leaves nothing behind.
    const mapping = files.case ? recognizeCaseUpload(files.case) : undefined;
    const store = createContentStore(env().SEGTRIAL_STORAGE_ROOT);
    const { uploadId, jobId } = await storeStudyUpload({ db, store, access, participantId, files, actor, request, awaitConfirmation: mapping !== undefined, mapping });
    return Response.json({ uploadId, jobId, mapping: mapping ?? null }, { status: 202 });
  },
});

/** The route for tests and callers outside Next.js, over their own database. */
export const handleStudyUpload = ({ db, req }: { db: Database; req: Request }) => runRoute(uploadStudyRoute, { db, req });
