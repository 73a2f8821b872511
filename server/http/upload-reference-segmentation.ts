import type { Database } from '../../db/client';
import { createContentStore } from '../../imaging/storage/content-store';
import { storeReferenceSegmentation } from '../domain/outcomes/store-reference-segmentation';
import { resolveTrialAccess } from '../domain/trials/trial-access';
import { env } from '../env';
import { defineRoute, refuse, runRoute } from './route';

/** A label map on a 1 mm grid of 256³ is 16 MB raw; gzip makes it far smaller. */
const MAX_REFERENCE_BYTES = 64 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * POST multipart/form-data to /api/studies/{studyId}/reference with trialId and `file` (a NIfTI
 * label map on the study's registered T1gd grid). Coordinators and admins, as for outcomes.record.
 * Validates and stores the map (content-addressed) and answers 201 with its hash; the hash is then
 * recorded with the follow-up outcome (outcomes.record), which writes the audit row. A refusal names
 * file, field, value found and expected, and stores nothing.
 */
export const uploadReferenceSegmentationRoute = defineRoute<'studyId'>({
  name: 'reference-upload',
  roles: ['coordinator', 'admin'],
  maxBytes: MAX_REFERENCE_BYTES,
  ids: { studyId: 'Study not found.' },
  async handle({ db, user, params, readForm }) {
    const form = await readForm('Expected multipart/form-data with trialId and file.');
    const trialId = String(form.get('trialId') ?? '');
    const file = form.get('file');
    if (!UUID.test(trialId)) refuse('INVALID_INPUT', 'trialId must be an id.');
    if (!(file instanceof File) || file.size === 0)
      refuse('INVALID_INPUT', 'Attach the reference segmentation as the field "file".', { field: 'file', found: 'nothing', expected: 'a .nii or .nii.gz label map' });
    const access = await resolveTrialAccess({ db, user, trialId });
    const stored = await storeReferenceSegmentation({
      db,
      store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
      access,
      studyId: params.studyId,
      file: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    return Response.json(stored, { status: 201 });
  },
});

export const handleReferenceSegmentationUpload = ({ db, req, studyId }: { db: Database; req: Request; studyId: string }) =>
  runRoute(uploadReferenceSegmentationRoute, { db, req, params: { studyId } });
