import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { SEQUENCE_ROLES, studyVolumes, type SequenceRole } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import { loadParticipantVisits } from '../domain/followup/load-participant-visits';
import { loadAiSegmentation } from '../domain/review/load-ai-segmentation';
import { CASE_NOT_FOUND, loadReviewCase } from '../domain/review/load-review-case';
import { env } from '../env';
import { defineRoute, refuse, runRoute } from './route';

/** What the comparison view can fetch of a prior visit: its registered sequences and (assisted arm) the AI label map. */
export const PRIOR_FILE_KINDS = [...SEQUENCE_ROLES, 'ai-labels'] as const;

/**
 * GET a file of an earlier visit of a follow-up case's participant, for the comparison view. The
 * case is loaded as every case file is (clinician at the participant's site, else 404); the visit
 * must come before the case's own. The prior's AI label map goes through loadAiSegmentation with
 * the case's arm, so a control-arm reader gets 404 AI_NOT_AVAILABLE for it, as for the case's own.
 */
export const priorFileRoute = defineRoute<'caseId' | 'visitCode' | 'kind'>({
  name: 'followup-files',
  roles: ['clinician'],
  ids: { caseId: CASE_NOT_FOUND },
  async handle({ db, user, params: { caseId, visitCode, kind } }) {
    const reviewCase = await loadReviewCase({ db, user, caseId });
    if (!(PRIOR_FILE_KINDS as readonly string[]).includes(kind)) refuse('NOT_FOUND', `No prior file '${kind}'; one of ${PRIOR_FILE_KINDS.join(', ')}.`);
    const visits = await loadParticipantVisits({ db, trialId: reviewCase.trialId, participantId: reviewCase.participantId });
    const current = visits.findIndex((v) => v.studyId === caseId);
    const prior = visits.findIndex((v) => v.visitCode === visitCode);
    const studyId = visits[prior]?.studyId;
    if (current < 1 || prior < 0 || prior >= current || !studyId) refuse('NOT_FOUND', `No earlier visit '${visitCode}' with a scan for this case.`);
    let sha256: string | undefined;
    if (kind === 'ai-labels') sha256 = (await loadAiSegmentation({ db, reviewCase: { ...reviewCase, caseId: studyId } })).segmentation.labelsSha256;
    else {
      const [volume] = await db
        .select({ sha256: studyVolumes.sha256 })
        .from(studyVolumes)
        .where(and(eq(studyVolumes.studyId, studyId), eq(studyVolumes.role, kind as SequenceRole)));
      sha256 = volume?.sha256;
      if (!sha256) refuse('NOT_FOUND', `That visit has no ${kind} sequence.`);
    }
    const file = createContentStore(env().SEGTRIAL_STORAGE_ROOT).pathOf(sha256);
    const { size } = await stat(file);
    return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
        'content-disposition': `inline; filename="${visitCode}-${kind}.nii.gz"`,
        'cache-control': 'private, no-store',
        etag: `"${sha256}"`,
      },
    });
  },
});

export const handlePriorFileRequest = ({ db, req, caseId, visitCode, kind }: { db: Database; req: Request; caseId: string; visitCode: string; kind: string }) =>
  runRoute(priorFileRoute, { db, req, params: { caseId, visitCode, kind } });
