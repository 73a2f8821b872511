import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { models } from '@/db/schema';
import { AppError } from '../../errors';
import type { RequestMetadata } from '../audit/write-audit-event';
import { amendProtocol } from '../trials/amend-protocol';
import { loadTrial, requireDesign } from '../trials/load-trial';

/**
 * Controlled model change, step two (after the shadow comparison): a signed protocol amendment whose
 * only change is the pinned model. Cases ingested from then on use the new version; every earlier
 * study keeps the version it was assigned (studies.model_id). The design in force is carried over unchanged.
 */
export async function switchPinnedModel(options: {
  db: Database;
  trialId: string;
  modelId: string;
  summary: string;
  effectiveOn: string;
  password: string;
  signer: { id: string; role: string };
  request: RequestMetadata;
}) {
  const design = requireDesign(await loadTrial(options.db, options.trialId));
  // An unknown version is refused before the signature is checked (a failed password counts toward the lockout).
  const [model] = await options.db.select({ id: models.id }).from(models).where(eq(models.id, options.modelId));
  if (!model) throw new AppError('NOT_FOUND', 'Model not found.');
  return amendProtocol({ ...options, design, switchModelTo: options.modelId });
}
