import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { SEQUENCE_ROLES, studies, studyVolumes, type SequenceRole } from '../../db/schema';
import { createContentStore } from '../../imaging/storage/content-store';
import type { Grid } from '../../imaging/volume';
import { loadParticipantVisits } from '../domain/followup/load-participant-visits';
import { resamplePriorVisit } from '../domain/followup/resample-prior-visit';
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
 * The file is the prior resampled onto the current visit's study grid through both visits'
 * registrations to baseline (resamplePriorVisit), so the two sides of the comparison share one grid.
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
    const currentRegistration = visits[current]!.registration;
    if (!currentRegistration) refuse('INVALID_STATE', `Visit '${visits[current]!.visitCode}' has no registration to baseline: record the visit again.`);
    const [study] = await db.select({ grid: studies.grid }).from(studies).where(eq(studies.id, caseId));
    const { bytes, etag } = await resamplePriorVisit({
      store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
      priorSha256: sha256,
      currentGrid: study!.grid as Grid,
      current: currentRegistration,
      prior: prior === 0 ? null : visits[prior]!.registration,
      labels: kind === 'ai-labels',
    });
    return new Response(new Uint8Array(bytes), {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.byteLength),
        'content-disposition': `inline; filename="${visitCode}-${kind}-on-${visits[current]!.visitCode}.nii.gz"`,
        'cache-control': 'private, no-store',
        etag: `"${etag}"`,
        'x-segtrial-grid': 'current-visit',
      },
    });
  },
});

export const handlePriorFileRequest = ({ db, req, caseId, visitCode, kind }: { db: Database; req: Request; caseId: string; visitCode: string; kind: string }) =>
  runRoute(priorFileRoute, { db, req, params: { caseId, visitCode, kind } });
