import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { models, segmentations, studies, trials } from '@/db/schema';
import { AppError } from '../../errors';
import { isAiSuspended } from '../oversight/ai-availability';
import { isAiAssisted } from './is-ai-assisted';
import type { ReviewCase } from './load-review-case';

/**
 * The one answer to every request for AI output that may not be served: a control-arm case (with or
 * without a shadow-mode result) or an assisted case whose result is not ready. NOT_FOUND
 * rather than FORBIDDEN, and one message, so a refusal says nothing about whether a result exists.
 */
export const AI_NOT_AVAILABLE = 'No AI segmentation is available for this case.';

/**
 * The AI segmentation a reviewer of this case may see: only for the AI-assisted arm, the trial's
 * assigned model's result once it has one (never another version's), before go-live the newest.
 * Throws NOT_FOUND (AI_NOT_AVAILABLE) otherwise. Every route that serves AI output (metadata, volumes, label map) goes through here.
 * While the AI is suspended for the case's site or trial (the stop switch), nothing is served either.
 * The arm is re-read from the allocation on every call; the row's `blinded` flag only records the
 * arm when the job ran (a study attached before randomization is marked blinded).
 */
export async function loadAiSegmentation({ db, reviewCase }: { db: DbOrTx; reviewCase: ReviewCase }) {
  if (!isAiAssisted(reviewCase.arm)) throw new AppError('NOT_FOUND', AI_NOT_AVAILABLE);
  if (await isAiSuspended(db, reviewCase.trialId, reviewCase.siteId)) throw new AppError('NOT_FOUND', AI_NOT_AVAILABLE);
  const [trial] = await db.select({ pinnedModelId: trials.pinnedModelId }).from(trials).where(eq(trials.id, reviewCase.trialId));
  const [study] = await db.select({ modelId: studies.modelId }).from(studies).where(eq(studies.id, reviewCase.caseId));
  const rows = await db
    .select({ segmentation: segmentations, model: { id: models.id, name: models.name, version: models.version, sha256: models.sha256 } })
    .from(segmentations)
    .innerJoin(models, eq(models.id, segmentations.modelId))
    .where(eq(segmentations.studyId, reviewCase.caseId))
    .orderBy(desc(segmentations.createdAt));
  // A live trial serves the result of the model version the study was assigned at ingest (the model
  // pinned then; a signed model switch leaves old cases on theirs), never a candidate run in shadow on
  // the same study (oversight's controlled model change). Before go-live, the newest result.
  const assigned = study?.modelId ?? trial?.pinnedModelId;
  const chosen = trial?.pinnedModelId ? rows.find((r) => r.model.id === assigned) : rows[0];
  if (!chosen) throw new AppError('NOT_FOUND', AI_NOT_AVAILABLE);
  return chosen;
}
